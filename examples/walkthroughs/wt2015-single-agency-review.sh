#!/usr/bin/env bash
# Working Together 2015: a single-agency review, from the referral to closed.
#
# Child D (fictional), aged 2, subject to a child protection plan for neglect in Reading, attends the
# hospital's emergency department four times in three months with minor injuries. Each time the
# child protection flag on the national system (CP-IS) is not checked, so the social worker is not
# told. Child D is not seriously harmed. The CRG finds the learning lies with the hospital alone and
# recommends a single-agency review; the Independent Chair agrees and Ofsted, DfE and the National
# Panel are told. The Chair writes to the hospital's safeguarding lead commissioning the review; the
# hospital tells the CRG its method (a root cause analysis) and timescale, does the review, shares its
# findings and actions with the CRG and the Chair, and the actions are monitored until signed off.
#
#   bash examples/walkthroughs/wt2015-single-agency-review.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

on 2027-06-07
w init "$REGISTER" --procedure wt2015
cat > "$INCOMING/referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-06-07
lead_lscb: reading
intake: review_referral
route: agency
referrer:
  name: Siân Invented-Referrer
  agency: bffc
  role: Team Manager, Child Protection
  email: sian.referrer@example.org
  date: 2027-06-04
dsl_consulted: {consulted: true, name: Owain Invented-Lead, role: Head of Service, agency: bffc}
subjects: [child-d]
criteria: {wider: [risk_not_shared, child_protection_plan]}
incident:
  date: 2027-06-03
  description: >-
    Child D attended the emergency department for the fourth time in three months; the child
    protection plan was not known to the department until the social worker heard from Mother.
summary: >-
  Child D, aged 2, has been subject to a child protection plan for neglect since January 2027. Between
  March and June 2027 Child D was taken to the Royal Berkshire Hospital's emergency department four
  times with minor injuries (a scald, a cut lip, a fall, a bruised arm). The child protection flag on
  CP-IS was not checked at any attendance and children's social care was not told. Child D was not
  seriously harmed; the explanations fitted the injuries.
key_dates:
  - {date: 2027-01-18, event: Child protection plan for neglect}
  - {date: 2027-06-03, event: Fourth attendance at the emergency department}
immediate_actions: Core group meeting on 4 June 2027; the hospital's safeguarding team told of the plan.
other_children_at_risk: false
agencies_involved:
  - {agency: bffc, worker: Social Worker 1, still_involved: true}
  - {agency: rbft, worker: Emergency department, still_involved: true}
  - {agency: bhft, worker: Health Visitor 1, still_involved: true}
records_secured: true
people:
  - {id: child-d, pseudonym: Child D, role: subject, name: Elin Invented-Pryce, date_of_birth: 2025-03-11,
     gender: female, child_protection_plan: current, open_to_social_care: true}
  - {id: mother, pseudonym: Mother, role: parent, name: Lowri Invented-Pryce}
YAML
refer_from "$INCOMING/referral.yaml"
w next "$REF"

# Screening and the information requests (Appendix 2): answers due in 10 working days
w advance "$REF"
on 2027-06-08
w screen "$REF" --outcome sufficient --rationale "Enough detail to ask the three agencies involved for information"
w advance "$REF"
for agency in rbft bffc bhft; do
    render "$REF" information-request --agency "$agency"
    w request "$REF" --agency "$agency" --sent 2027-06-08
done
on 2027-06-18
w request "$REF" --agency rbft --received 2027-06-17 --involved
w request "$REF" --agency bffc --received 2027-06-15 --involved
w request "$REF" --agency bhft --received 2027-06-18 --involved

# The Case Review Group: the learning lies with one agency; it recommends a single-agency review
on 2027-06-21
w advance "$REF"
at crg_consideration
w crg meeting "$REF" --on 2027-06-21 --present "Case Review Group Chair" --present "Police member" \
    --present "Designated Nurse" --present "Designated Doctor" --present "Children's social care member"
for member in "Case Review Group Chair" "Police member" "Designated Nurse" "Designated Doctor" \
              "Children's social care member"; do
    w crg recommend "$REF" --member "$member" --recommendation single_agency_review \
        --reason "The other agencies shared what they knew; the gap was the hospital's check of CP-IS"
done
on 2027-06-23
w crg conclude "$REF" --criteria-not-met --abuse-or-neglect known --outcome-for-child neither \
    --no-concern-about-working-together --alternative-considered \
    --alternative-outcome "A single-agency review by the Royal Berkshire NHS Foundation Trust of its emergency department's safeguarding checks" \
    --recommendation single_agency_review \
    --rationale "Neglect is known but Child D was not seriously harmed, so regulation 5(2) is not met; the learning is for one agency" \
    --sent-to-chair 2027-06-23
w advance "$REF"
at chair_decision

# The Independent Chair agrees; Ofsted, DfE and the National Panel are told within five working days
on 2027-06-28
w decide "$REF" --decision single_agency_review \
    --rationale "Not an SCR; the learning is about the emergency department's checks, which the hospital is best placed to review"
w advance "$REF"
at notifications
on 2027-06-29
for body in ofsted dfe national_panel; do
    render "$REF" decision-notification --to "$body"
    w notify "$REF" --recipient "$body" --document "$REGISTER/output/$REF/$REF-decision-notification-$body.docx"
done
render "$REF" notifier-notice --to notifier
w notify "$REF" --recipient notifier --document "$REGISTER/output/$REF/$REF-notifier-notice-notifier.docx"
for agency in rbft bffc bhft; do
    render "$REF" outcome-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-outcome-letter-$agency.docx"
done
render "$REF" decision-audit-report

# Commissioned: the Independent Chair writes to the hospital's safeguarding lead asking for the review
on 2027-07-05
w advance "$REF"
at commissioned
w review terms "$REF" --scope-from 2027-02-01 --scope-to 2027-06-04 --methodology agency_method \
    --line "Why the child protection flag on CP-IS was not checked at any of Child D's four attendances" \
    --line "How the emergency department tells a child's social worker of an attendance" \
    --family-reference "Child D; Mother" --approved 2027-07-05
w review agency-report "$REF" --agency rbft --requested 2027-07-05 --chronology-due 2027-08-02 --due 2027-08-30
render "$REF" terms-of-reference
render "$REF" chronology-template --agency rbft
render "$REF" initiation-letter --agency rbft
w notify "$REF" --recipient agency:rbft --document "$REGISTER/output/$REF/$REF-initiation-letter-rbft.docx"

# The hospital tells the CRG and the Chair its method (a root cause analysis) and timescale
on 2027-07-19
w review agency-report "$REF" --agency rbft --author "Gwen Invented-Author" \
    --author-role "Head of Patient Safety (no part in Child D's care)" --due 2027-08-30
w advance "$REF" --note "Root cause analysis by the hospital's patient safety team; report due 30 August 2027"
at agency_review
w validate "$REF" --strict   # under way, with its terms and the report asked for: where it should be

# The hospital's timeline of Child D's attendances arrives and is imported
on 2027-07-30
cat > "$INCOMING/rbft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
15/02/2027,10:20,Paediatric outpatient letter,Child D; Mother,Routine review of eczema; child protection plan noted in the referral letter.,Treatment changed,Follow-up in six months,Paediatrician 1,The outpatient clinic knew of the plan; the emergency department's system did not show it.
09/03/2027,18:45,Emergency department record,Child D; Mother,Scald to the hand from a cup of tea.,Dressed,Discharged; no CP-IS check,ED Nurse 1,CP-IS check not done: the prompt is on a screen the triage nurse does not open.
19/04/2027,20:10,Emergency department record,Child D; Mother,Cut lip from a fall against a table.,Examined,Discharged; no CP-IS check,ED Doctor 1,
14/05/2027,11:30,Emergency department record,Child D; Mother,Fall from a sofa; no injury found.,Examined,Discharged; no CP-IS check,ED Doctor 2,Third attendance; frequency not noticed.
03/06/2027,19:00,Emergency department record,Child D; Mother,Bruised arm; Mother said Child D fell at a friend's house.,Examined; X-ray normal,Discharged; no CP-IS check,ED Doctor 3,The social worker learned of the attendances from Mother the next day.
CSV
w chronology import "$REF" --agency rbft "$INCOMING/rbft-chronology.csv"
w review agency-report "$REF" --agency rbft --chronology-received 2027-07-30
w chronology merge "$REF" --pseudonymised

# The root cause analysis comes in, signed off by the hospital; the CRG and the Chair consider it
on 2027-08-27
w review agency-report "$REF" --agency rbft --received 2027-08-27 --signed-off 2027-08-26 \
    --signed-off-by "Chief Nursing Officer"
on 2027-09-06
w review meeting "$REF" --kind crg --on 2027-09-06 \
    --note "The hospital presented its root cause analysis, findings and actions to the CRG and the Independent Chair"
w review agency-report "$REF" --agency rbft --quality-assured 2027-09-06
w plan recommendation "$REF" --id R1 --scope single_agency --agency rbft --adopted 2027-09-06 \
    --text "Every child who attends the emergency department is checked on CP-IS at triage"
w plan action "$REF" --recommendation R1 --id R1-A1 --lead-agency rbft --target 2027-11-30 \
    --lead-officer "Matron, Children's Emergency Department" \
    --action "Move the CP-IS prompt to the triage screen and make it a required field" \
    --measure "Monthly audit: CP-IS checked in 98% of children's attendances"
w plan action "$REF" --recommendation R1 --id R1-A2 --lead-agency rbft --target 2027-10-31 \
    --lead-officer "Named Nurse for Safeguarding Children" \
    --action "Brief every emergency department nurse and doctor on CP-IS and on telling the social worker"
w plan recommendation "$REF" --id R2 --scope single_agency --agency rbft --adopted 2027-09-06 \
    --text "A child with three or more attendances in six months is discussed with the safeguarding team"
w plan action "$REF" --recommendation R2 --id R2-A1 --lead-agency rbft --target 2027-12-31 \
    --lead-officer "Named Nurse for Safeguarding Children" \
    --action "Add a frequent attender alert for children to the emergency department system"
w advance "$REF" --note "Findings and actions presented to the CRG and the Independent Chair on 6 September 2027"
at findings_shared
render "$REF" action-plan

# The hospital's actions, rated at each LSCB meeting until every action is signed off
on 2027-09-20
w advance "$REF"
at action_monitoring
on 2027-10-18
w plan rag "$REF" --action R1-A1 --rag GREEN --note "Triage screen change tested; go-live planned for November"
w plan rag "$REF" --action R1-A2 --rag GREEN --note "Briefings given to 80% of staff"
w plan rag "$REF" --action R2-A1 --rag AMBER --note "Supplier has given a date in December"
render "$REF" rag-progress-report
on 2027-10-29
w plan sign-off "$REF" --action R1-A2 --by "Case Review Group Chair" \
    --evidence "Briefing register: every nurse and doctor in the department briefed by 27 October 2027"
on 2027-11-29
w plan sign-off "$REF" --action R1-A1 --by "Case Review Group Chair" \
    --evidence "Required CP-IS field live from 8 November 2027; audit of the first two weeks shows 99%"
on 2027-12-20
w plan sign-off "$REF" --action R2-A1 --by "Case Review Group Chair" \
    --evidence "Frequent attender alert live from 6 December 2027; the first two alerts discussed with the safeguarding team"
render "$REF" rag-progress-report
w advance "$REF"
at closed
w history "$REF"
w validate --strict
