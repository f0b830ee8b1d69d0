#!/usr/bin/env bash
# Working Together 2015: a multi-agency audit, from the referral to closed.
#
# Child B (fictional), aged 9, has been missing school for months; the school, the GP and children's
# social care each saw part of the picture of neglect but no one put it together. The child was not
# seriously harmed, so the SCR criteria are not met; the CRG considers the alternatives and
# recommends a multi-agency audit, the Independent Chair agrees within two weeks, Ofsted, DfE and the
# National Panel are told within five working days (a decision not to hold an SCR, with its
# rationale), the notifier and the agencies are told, the QA sub-group is commissioned to audit
# practice (signs of safety; the voice of the child and of the practitioners), reports its findings
# to the CRG, and the actions agreed are monitored until every one is signed off.
#
#   bash examples/walkthroughs/wt2015-multi-agency-audit.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

on 2027-03-01
w init "$REGISTER" --procedure wt2015
cat > "$INCOMING/referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-03-01
lead_lscb: reading
intake: review_referral
route: agency
referrer: {name: Ottilie Invented-Referrer, agency: bffc, role: "Team Manager, Children in Need"}
dsl_consulted: {consulted: true, name: Bram Invented-Lead, role: Service Manager, agency: bffc}
subjects: [child-b]
criteria:
  wider: [risk_not_shared, concerns_not_heard]
incident:
  date: 2027-02-15
  description: >-
    Child B, aged 9, was found by a neighbour at home alone, hungry and unwashed, on a school day.
summary: >-
  Child B's school attendance fell to 61% over the autumn term; the school, the GP practice (through
  the health visitor's successor, the school nurse) and children's social care each knew part of the
  picture of neglect but no multi-agency meeting was held. Child B is now on a child protection plan
  and is safe. The referrer asks whether the agencies missed chances to act together sooner.
records_secured: true
people:
  - {id: child-b, pseudonym: Child B, role: subject, name: Linnea Invented-Trevail, date_of_birth: 2017-11-20}
  - {id: mother, pseudonym: Mother, role: parent, name: Morag Invented-Trevail}
YAML
refer_from "$INCOMING/referral.yaml"
w next "$REF"

# Screening and the information requests (Appendix 2): answers due in 10 working days
w advance "$REF"
on 2027-03-02
w screen "$REF" --outcome sufficient --rationale "Enough detail to ask the agencies that knew Child B for information"
w advance "$REF"
for agency in bffc bhft tvp; do
    render "$REF" information-request --agency "$agency"
    w request "$REF" --agency "$agency" --sent 2027-03-02
done
on 2027-03-12
w request "$REF" --agency bffc --received 2027-03-10 --involved
w request "$REF" --agency bhft --received 2027-03-11 --involved
w request "$REF" --agency tvp --received 2027-03-12 --not-involved

# The Case Review Group: the SCR criteria are not met; the alternatives are considered and an audit
# recommended; the recommendation goes to the Independent Chair within the week
on 2027-03-15
w advance "$REF"
w crg meeting "$REF" --on 2027-03-15 --present "Case Review Group Chair" --present "Police member" \
    --present "Designated Nurse" --present "Designated Doctor" --present "Children's social care member"
w crg recommend "$REF" --member "Case Review Group Chair" --recommendation multi_agency_audit \
    --reason "No serious harm; the learning is about everyday practice across agencies, which an audit shows best"
w crg recommend "$REF" --member "Police member" --agency tvp --recommendation multi_agency_audit \
    --reason "Police had no involvement; an audit of the other agencies' practice is proportionate"
w crg recommend "$REF" --member "Designated Nurse" --agency bob-icb --recommendation multi_agency_audit \
    --reason "School nursing and GP information was not shared; audit how neglect is recognised"
w crg recommend "$REF" --member "Designated Doctor" --agency bob-icb --recommendation multi_agency_audit \
    --reason "Missed health appointments were not followed up; an audit will show whether this is usual"
w crg recommend "$REF" --member "Children's social care member" --agency bffc --recommendation multi_agency_audit \
    --reason "Two contacts closed at the front door without checks; audit similar cases"
on 2027-03-17
w crg conclude "$REF" --criteria-not-met --abuse-or-neglect known --outcome-for-child neither \
    --alternative-considered \
    --alternative-outcome "A SILP or a multi-agency review would be out of proportion: Child B was not seriously harmed. A multi-agency audit of practice in cases of neglect and poor school attendance will show whether what happened here is typical." \
    --recommendation multi_agency_audit \
    --rationale "Neglect is known but Child B was not seriously harmed; the learning about joint working is best found by a multi-agency audit" \
    --sent-to-chair 2027-03-17
w advance "$REF"
at chair_decision

# The Independent Chair agrees within two weeks of the CRG; Ofsted, DfE and the National Panel are told
# (a decision not to hold an SCR, with its rationale) within five working days
on 2027-03-24
w decide "$REF" --decision multi_agency_audit \
    --rationale "The SCR criteria are not met; a multi-agency audit by the QA sub-group is proportionate and will show whether the missed chances to share information are typical"
w advance "$REF"
at notifications
render "$REF" decision-audit-report
for body in ofsted dfe national_panel; do
    render "$REF" decision-notification --to "$body"
    w notify "$REF" --recipient "$body" --document "$REGISTER/output/$REF/$REF-decision-notification-$body.docx"
done
render "$REF" notifier-notice --to notifier
w notify "$REF" --recipient notifier --document "$REGISTER/output/$REF/$REF-notifier-notice-notifier.docx"
for agency in bffc bhft tvp; do
    render "$REF" outcome-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-outcome-letter-$agency.docx"
done

# The Independent Chair commissions the QA sub-group to audit practice in the agencies involved
on 2027-03-31
w advance "$REF"
at commissioned
w next "$REF"
w review terms "$REF" --scope-from 2026-09-01 --scope-to 2027-02-15 --methodology audit \
    --line "What was working well for Child B, what agencies were worried about, and what needed to happen" \
    --line "How poor school attendance and missed health appointments were shared between agencies" \
    --line "What Child B, and the practitioners who knew her, say would have helped" \
    --approved 2027-03-31
# wbcr has no commissioning letter to the QA sub-group (nor a recipient id for it): recorded as a notice.
# The tool kit's letter for this stage is the initiation letter to each agency whose practice is audited
# (it still asks for a chronology and an individual agency report, which an audit does not need).
w notify "$REF" --recipient qa_subgroup --purpose commissioning_letter --method email \
    --note "The Independent Chair asks the Reading LSCB QA sub-group to audit practice in the agencies involved"
for agency in bffc bhft; do
    render "$REF" initiation-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-initiation-letter-$agency.docx"
done

# The audit: the QA sub-group reads the records and talks to the practitioners and to Child B
on 2027-04-12
w advance "$REF"
at audit
on 2027-05-06
# (the nearest meeting kind wbcr offers for the audit's conversations with practitioners)
w review meeting "$REF" --kind practitioner_event --on 2027-05-06 \
    --note "QA sub-group audit conversations with the class teacher, school nurse and social worker"
w validate "$REF" --strict   # under way, with its terms and a meeting recorded: where it should be

# Findings reported to the CRG and the QA sub-group; actions agreed
on 2027-05-24
w advance "$REF"
at findings_reported
# (`wbcr review meeting --kind crg` is refused although review.yaml allows it: the report goes in as a notice)
w notify "$REF" --recipient crg_chair --purpose audit_findings --method email \
    --note "The QA sub-group's audit report, presented to the CRG meeting of 24 May 2027"
w plan recommendation "$REF" --id R1 --scope multi_agency --agency bffc --agency bhft --adopted 2027-05-24 \
    --text "Persistent absence from school together with missed health appointments triggers a multi-agency discussion"
w plan action "$REF" --recommendation R1 --id R1-A1 --lead-agency bffc --target 2027-09-30 \
    --lead-officer "Head of Service, Children in Need" \
    --action "Add the absence-and-health prompt to the front door screening tool" \
    --measure "A re-audit of 20 contacts shows the prompt used in every case"
w plan action "$REF" --recommendation R1 --id R1-A2 --lead-agency bhft --target 2027-08-31 \
    --lead-officer "Named Nurse for Safeguarding Children" \
    --action "School nurses share missed appointments with the school's designated safeguarding lead"

# The Reading LSCB approves the findings and the action plan; the plan goes to every LSCB member
on 2027-06-07
w review milestone "$REF" --milestone lscb_approved --on 2027-06-07
render "$REF" action-plan

# The action plan, rated at each LSCB meeting until every action is signed off
w advance "$REF"
at action_monitoring
on 2027-07-12
w plan rag "$REF" --action R1-A1 --rag GREEN --note "Prompt drafted; front door managers consulted"
w plan rag "$REF" --action R1-A2 --rag GREEN --note "Guidance agreed with school nursing leads"
render "$REF" rag-progress-report
on 2027-08-26
w plan sign-off "$REF" --action R1-A2 --by "Case Review Group Chair" \
    --evidence "Guidance issued on 2 August 2027; every school nurse briefed"
on 2027-09-27
w plan sign-off "$REF" --action R1-A1 --by "Case Review Group Chair" \
    --evidence "Prompt in use from 1 September 2027; re-audit of 20 contacts shows it used in all"
w advance "$REF"
at closed
w history "$REF"
w validate --strict
