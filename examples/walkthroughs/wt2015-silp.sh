#!/usr/bin/env bash
# Working Together 2015: a Significant Incident Learning Process (SILP), from the referral to closed.
#
# Child B (fictional), aged 14, is found by police in a flat in another town with older men, cash and
# drugs, after going missing from home five times in four months. Criminal exploitation is suspected;
# Child B is not seriously harmed. The CRG finds the SCR criteria not met, considers an alternative
# learning review and recommends a SILP; the Independent Chair agrees within the month, and Ofsted,
# DfE and the National Panel are told within five working days. A facilitator is appointed, the
# agencies send chronologies and short reports, practitioners and their managers meet at a learning
# event and a recall event, the report of the learning is agreed by the CRG and approved by the LSCB,
# and the action plan is monitored until every action is signed off.
#
#   bash examples/walkthroughs/wt2015-silp.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

on 2027-02-01
w init "$REGISTER" --procedure wt2015
cat > "$INCOMING/referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-02-01
lead_lscb: west-berkshire
intake: review_referral
route: agency
referrer:
  name: Carys Invented-Referrer
  agency: bhft
  role: Named Nurse for Safeguarding Children
  email: carys.referrer@example.org
  date: 2027-01-29
dsl_consulted: {consulted: true, name: Idris Invented-Lead, role: Head of Safeguarding, agency: bhft}
subjects: [child-b]
criteria: {wider: [risk_not_shared, risk_not_acted_on]}
incident:
  date: 2027-01-24
  description: >-
    Child B was found by police in a flat in another town with two older men, cash and drugs, on the
    fifth day of a missing episode.
summary: >-
  Child B, aged 14, went missing from home five times between September 2026 and January 2027. Each
  return home interview and each contact with school nursing and CAMHS noted new clothes, a second phone
  and older "friends", but the agencies did not put the pieces together until Child B was found by
  police in another town with cash and drugs. Criminal exploitation is suspected. Child B was not
  harmed physically and is now subject to a child protection plan.
key_dates:
  - {date: 2026-09-14, event: First missing episode reported to police}
  - {date: 2027-01-24, event: Child B found by police in another town}
immediate_actions: Strategy discussion held on 25 January 2027; Child B made subject to a child protection plan.
other_children_at_risk: false
parallel_processes: {police_investigation: true}
agencies_involved:
  - {agency: tvp, worker: PC Alys Invented-Officer, still_involved: true}
  - {agency: bhft, worker: Hywel Invented-Nurse, still_involved: true}
  - {agency: wbc-cs, worker: Manon Invented-Worker, still_involved: true}
  - {agency: rbft, worker: Dr Iolo Invented-Medic, still_involved: false}
records_secured: true
people:
  - {id: child-b, pseudonym: Child B, role: subject, name: Rowan Invented-Ashby, date_of_birth: 2012-06-03,
     gender: male, school: Invented Park Academy, child_protection_plan: current, open_to_social_care: true}
  - {id: mother, pseudonym: Mother, role: parent, name: Delyth Invented-Ashby}
  - {id: adult-1, pseudonym: Adult 1, role: significant_other, relationship: Older associate,
     name: Corin Invented-Vale}
YAML
refer_from "$INCOMING/referral.yaml"
w next "$REF"

# Screening and the information requests (Appendix 2): answers due in 10 working days
w advance "$REF"
on 2027-02-02
w screen "$REF" --outcome sufficient --rationale "Enough detail to ask the four agencies involved for information"
w advance "$REF"
for agency in tvp bhft wbc-cs rbft; do
    render "$REF" information-request --agency "$agency"
    w request "$REF" --agency "$agency" --sent 2027-02-02
done
on 2027-02-12
w request "$REF" --agency tvp --received 2027-02-09 --involved
w request "$REF" --agency bhft --received 2027-02-10 --involved
w request "$REF" --agency wbc-cs --received 2027-02-12 --involved
w request "$REF" --agency rbft --received 2027-02-12 --involved

# The Case Review Group: the SCR criteria are not met (no serious harm), so an alternative review is
# considered; the members recommend a SILP (one prefers a multi-agency review)
on 2027-02-15
w advance "$REF"
at crg_consideration
w crg meeting "$REF" --on 2027-02-15 --present "Case Review Group Chair" --present "Police member" \
    --present "Designated Nurse" --present "Designated Doctor" --present "Children's social care member"
for member in "Case Review Group Chair" "Police member" "Designated Nurse" "Children's social care member"; do
    w crg recommend "$REF" --member "$member" --recommendation silp \
        --reason "Not seriously harmed, so not an SCR; practitioners from four agencies each saw part of the picture"
done
w crg recommend "$REF" --member "Designated Doctor" --recommendation multi_agency_review \
    --reason "A lead reviewer could look more widely at the response to missing children"
on 2027-02-17
w crg conclude "$REF" --criteria-not-met --abuse-or-neglect suspected --outcome-for-child neither \
    --concern-about-working-together --alternative-considered \
    --alternative-outcome "A SILP: the practitioners involved can learn together why the signs of exploitation were not connected" \
    --recommendation silp --rationale "Abuse suspected but Child B was not seriously harmed, so regulation 5(2) is not met; there is clear multi-agency learning" \
    --sent-to-chair 2027-02-17
w advance "$REF"
at chair_decision

# The Independent Chair agrees; Ofsted, DfE and the National Panel are told within five working days
on 2027-02-22
w decide "$REF" --decision silp \
    --rationale "The SCR criteria are not met; a SILP is the proportionate way to learn how the signs of exploitation were missed"
w advance "$REF"
at notifications
on 2027-02-23
for body in ofsted dfe national_panel; do
    render "$REF" decision-notification --to "$body"
    w notify "$REF" --recipient "$body" --document "$REGISTER/output/$REF/$REF-decision-notification-$body.docx"
done
render "$REF" notifier-notice --to notifier
w notify "$REF" --recipient notifier --document "$REGISTER/output/$REF/$REF-notifier-notice-notifier.docx"
for agency in tvp bhft wbc-cs rbft; do
    render "$REF" outcome-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-outcome-letter-$agency.docx"
done
render "$REF" decision-audit-report

# Initiation: the CRG sets the scope and terms of reference and appoints the facilitator (who chairs
# the learning event) and a writer; the agencies are asked for chronologies and short SILP reports
on 2027-03-01
w advance "$REF"
at initiation
w review reviewer "$REF" --role facilitator --name "Nerys Invented-Facilitator" --organisation "Independent" \
    --qualifications "Accredited SILP lead reviewer; former head of children's services" \
    --independence "No current or past role with any agency involved"
w review reviewer "$REF" --role overview_author --name "Gethin Invented-Writer" --organisation "Independent" \
    --independence "No current or past role with any agency involved"
w review meeting "$REF" --kind scoping --on 2027-03-01 \
    --note "CRG scoping: agencies, scope period, terms of reference and dates of the learning and recall events"
w review terms "$REF" --scope-from 2026-09-01 --scope-to 2027-01-25 --methodology silp \
    --line "How agencies recognised and shared the signs that Child B was being criminally exploited" \
    --line "How return home interviews after each missing episode informed the plan for Child B" \
    --line "How Mother's requests for help were heard" \
    --family-reference "Child B; Mother; Adult 1 for the older associate" --approved 2027-03-01
w review family "$REF" \
    --plan "The facilitator meets Mother and Child B at home before the learning event and again before the report is final"
# The agency managers who plan the SILP with the facilitator and take responsibility for the actions
w review panel "$REF" --name "Bethan Invented-Manager" --role "Detective Inspector, Missing and Exploited Children" \
    --agency tvp --discipline "Police"
w review panel "$REF" --name "Rhodri Invented-Manager" --role "Named Nurse for Safeguarding Children" \
    --agency bhft --discipline "School nursing and CAMHS"
w review panel "$REF" --name "Eleri Invented-Manager" --role "Service Manager, Adolescent Safeguarding" \
    --agency wbc-cs --discipline "Social work"
w review panel "$REF" --name "Iestyn Invented-Manager" --role "Named Nurse for Safeguarding Children" \
    --agency rbft --discipline "Emergency nursing"
for agency in tvp bhft wbc-cs rbft; do
    w review agency-report "$REF" --agency "$agency" --requested 2027-03-01 --chronology-due 2027-03-29 --due 2027-04-12
done
render "$REF" terms-of-reference
render "$REF" panel-membership
for agency in tvp bhft wbc-cs rbft; do
    render "$REF" chronology-template --agency "$agency"
    render "$REF" initiation-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-initiation-letter-$agency.docx"
done
render "$REF" family-letter --to family --person mother
w notify "$REF" --recipient family --person mother --purpose family_letter --method letter \
    --document "$REGISTER/output/$REF/$REF-family-letter-mother.docx"
w review family "$REF" --letter-sent 2027-03-01

on 2027-03-08
w advance "$REF"
at evidence
on 2027-03-15
w review family "$REF" --contact-on 2027-03-15 --person mother --method "home visit" \
    --note "Mother and Child B told the facilitator what it was like to ask for help; taken to the learning event"

# The chronologies arrive (each agency's own spreadsheet, saved as CSV) and are imported
on 2027-03-26
cat > "$INCOMING/tvp-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
14/09/2026,22:40,Missing person report,Child B; Mother,Mother reported Child B missing overnight.,Missing person investigation,Child B returned the next morning,PC 1,First missing episode.
02/11/2026,19:15,Missing person report,Child B; Mother,Child B missing for two days; found at a railway station in another town.,Returned home; intelligence report submitted,Medium risk,PC 2,The intelligence report was not linked to the earlier episode.
21/12/2026,08:30,Stop and search record,Child B; Adult 1,Child B stopped with Adult 1 in a car; a second phone and cash found.,Child B taken home,No further action,PC 3,Adult 1 was known to the force for drug supply.
24/01/2027,16:00,Missing person report,Child B; Adult 1,Child B found in a flat in another town with Adult 1 and another man; cash and drugs recovered.,Adult 1 arrested; Child B taken into police protection,Strategy discussion requested,DS 1,
25/01/2027,09:00,Strategy discussion,Child B,Strategy discussion with children's social care and health.,Joint investigation,Section 47 enquiry,DS 1,
CSV
cat > "$INCOMING/bhft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
22/09/2026,11:00,School nursing record,Child B,Drop-in at school; Child B tired and said he was not sleeping.,Sleep advice,Review in a month,School Nurse 1,
20/10/2026,11:30,School nursing record,Child B,Review at school; Child B had a new phone and designer clothes and would not say where they came from.,Discussed with the school's safeguarding lead,Referral to CAMHS for low mood,School Nurse 1,Signs of exploitation noted but not shared with children's social care.
07/12/2026,15:00,CAMHS record,Child B; Mother,CAMHS assessment; Mother worried about older friends.,Assessment completed,Offered group work,CAMHS Practitioner 1,Mother's worry about older friends not passed on.
18/01/2027,10:00,CAMHS record,Child B,Child B did not attend the first group session.,Letter sent to Mother,Second appointment offered,CAMHS Practitioner 1,
CSV
cat > "$INCOMING/wbc-cs-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
16/09/2026,14:00,Return home interview,Child B,Return home interview after the first missing episode.,Offered youth work,Declined,Youth Worker 1,
04/11/2026,15:30,Contact and referral record,Child B; Mother,Police notification of the second missing episode; Mother asked for help.,Child and family assessment started,Assessment open,Social Worker 1,
15/12/2026,13:00,Child and family assessment,Child B; Mother,Assessment completed: concerns about older friends and missing school.,Child in need plan,Plan agreed,Social Worker 1,Exploitation screening tool not completed.
25/01/2027,09:00,Strategy discussion,Child B,Strategy discussion with police and health after Child B was found.,Section 47 enquiry,Initial child protection conference,Team Manager 1,
CSV
cat > "$INCOMING/rbft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
28/09/2026,02:10,Emergency department record,Child B,Attended with a cut hand said to be from a fall.,Wound closed,Discharged home,ED Doctor 1,Seen at 2 a.m. without an adult; no safeguarding question asked.
10/11/2026,23:20,Emergency department record,Child B; Mother,Attended with Mother after being found intoxicated.,Observed overnight,Discharged; GP letter,ED Nurse 1,Safeguarding liaison form completed.
05/01/2027,21:00,Emergency department record,Child B,Attended with a bruised face; said he was in a fight.,Examined,Discharged; safeguarding liaison form,ED Doctor 2,Third attendance in four months; the pattern was noticed by the liaison nurse.
CSV
for agency in tvp bhft wbc-cs rbft; do
    w chronology import "$REF" --agency "$agency" "$INCOMING/$agency-chronology.csv"
    w review agency-report "$REF" --agency "$agency" --chronology-received 2027-03-26
done
w chronology merge "$REF" --pseudonymised
w chronology merge "$REF" --pseudonymised --format docx
w chronology reviewed "$REF" --on 2027-03-26

# The short SILP reports come in, signed off by each agency and checked by the facilitator
on 2027-04-09
for agency in tvp bhft wbc-cs rbft; do
    w review agency-report "$REF" --agency "$agency" --received 2027-04-09 --signed-off 2027-04-08 \
        --signed-off-by "Designated senior manager" --quality-assured 2027-04-09
done

# The learning event: practitioners and their managers review the case together with the facilitator
on 2027-04-20
w review meeting "$REF" --kind learning_event --on 2027-04-20 \
    --note "Full-day learning event: 14 practitioners and 5 managers from the four agencies; chaired by the facilitator"
w advance "$REF"
at learning_event

# The report of the learning: drafted, tested at a recall event, recommendations agreed by the CRG
on 2027-04-27
w advance "$REF"
at reporting
w plan recommendation "$REF" --id R1 --scope multi_agency --agency tvp --agency wbc-cs --agency bhft --adopted 2027-06-07 \
    --text "Every agency shares signs of possible criminal exploitation with children's social care the same day"
w plan action "$REF" --recommendation R1 --id R1-A1 --lead-agency wbc-cs --target 2027-09-30 \
    --lead-officer "Service Manager, Adolescent Safeguarding" \
    --action "Agree a single exploitation screening tool for all agencies and train practitioners in it" \
    --measure "A multi-agency audit of 20 cases shows the tool completed and shared in 90%"
w plan action "$REF" --recommendation R1 --id R1-A2 --lead-agency tvp --target 2027-08-31 \
    --lead-officer "Missing Persons Coordinator" \
    --action "Link each missing episode's intelligence to the child's earlier episodes and share it with the exploitation panel"
w plan recommendation "$REF" --id R2 --scope single_agency --agency rbft --adopted 2027-06-07 \
    --text "The emergency department asks safeguarding questions of every young person who attends without an adult"
w plan action "$REF" --recommendation R2 --id R2-A1 --lead-agency rbft --target 2027-10-31 \
    --lead-officer "Named Nurse for Safeguarding Children" \
    --action "Add the unaccompanied young person prompt to the emergency department triage record" \
    --measure "Audit of 50 attendances by unaccompanied 12 to 17 year olds"
on 2027-05-14
w review milestone "$REF" --milestone overview_first_draft
render "$REF" executive-summary
on 2027-05-25
w review meeting "$REF" --kind recall_event --on 2027-05-25 \
    --note "Recall event: practitioners tested the draft findings and the proposed actions"
on 2027-06-07
# The CRG agrees the report of the learning and the recommendations
w review meeting "$REF" --kind crg --on 2027-06-07 --note "CRG agreed the report of the learning and the recommendations"
w review milestone "$REF" --milestone panel_signed_off
w review milestone "$REF" --milestone overview_final
w advance "$REF"
at approval
render "$REF" action-plan

# The LSCB approves the report and the action plan
on 2027-06-21
w review milestone "$REF" --milestone lscb_approved
w review milestone "$REF" --milestone shared_with_family --on 2027-06-24
w advance "$REF"
at action_monitoring

# The action plan, rated at each LSCB meeting until every action is signed off
on 2027-07-19
w plan rag "$REF" --action R1-A1 --rag GREEN --note "Screening tool agreed by the four agencies; training booked"
w plan rag "$REF" --action R1-A2 --rag GREEN --note "Missing episodes now linked on the force's system"
w plan rag "$REF" --action R2-A1 --rag AMBER --note "Triage record change waiting for the supplier"
render "$REF" rag-progress-report
on 2027-08-27
w plan sign-off "$REF" --action R1-A2 --by "Case Review Group Chair" \
    --evidence "Missing episode linking in use since 2 August 2027; exploitation panel minutes"
on 2027-09-27
w plan sign-off "$REF" --action R1-A1 --by "Case Review Group Chair" \
    --evidence "Multi-agency audit of 20 cases: tool completed and shared in 92%"
w plan rag "$REF" --action R2-A1 --rag GREEN --note "Prompt live in the triage record from 20 September 2027"
render "$REF" rag-progress-report
on 2027-10-25
w plan sign-off "$REF" --action R2-A1 --by "Case Review Group Chair" \
    --evidence "Audit of 50 attendances: prompt completed in 94%"
w advance "$REF"
at closed
w history "$REF"
w validate --strict
