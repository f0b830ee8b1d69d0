#!/usr/bin/env bash
# Working Together 2015: a Serious Case Review, from the referral to closed.
#
# Child A (fictional), aged 3, is admitted to hospital with a head injury the explanations do not fit.
# The CRG recommends an SCR, the Independent Chair agrees, Ofsted, DfE and the National Panel are told
# within five working days, the review is initiated, chronologies and agency reports come in, the
# panel analyses them, the LSCB approves the report within six months, it is published a week after
# the copies go to Ofsted, DfE and the Panel, and the action plan is monitored until every action is
# signed off.
#
#   bash examples/walkthroughs/wt2015-scr.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

on 2027-01-11
w init "$REGISTER" --procedure wt2015
cat > "$INCOMING/referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-01-11
lead_lscb: reading
intake: review_referral
route: agency
referrer: {name: Pat Invented, agency: rbft, role: Named Nurse for Safeguarding}
dsl_consulted: {consulted: true}
subjects: [child-a]
criteria: {must_notify: [serious_harm_concern]}
summary: >-
  Child A, aged 3, admitted to the Royal Berkshire Hospital with a head injury; the explanations given
  do not fit the injury. Police and children's social care are investigating.
records_secured: true
people:
  - {id: child-a, pseudonym: Child A, role: subject, name: Zennor Invented-Child, date_of_birth: 2023-09-14}
  - {id: mother, pseudonym: Mother, role: parent, name: Quilla Invented-Parent}
  - {id: partner, pseudonym: Mother's partner, role: partner, name: Ruan Invented-Partner}
YAML
refer_from "$INCOMING/referral.yaml"
w next "$REF"

# Screening and the information requests (Appendix 2): answers due in 10 working days
w advance "$REF"
on 2027-01-12
w screen "$REF" --outcome sufficient --rationale "Enough detail to ask the agencies involved for information"
w advance "$REF"
for agency in tvp rbft bffc; do
    w request "$REF" --agency "$agency" --sent 2027-01-12      # first: the form then says when it is due back
    render "$REF" information-request --agency "$agency"
done
on 2027-01-21
w request "$REF" --agency tvp --received 2027-01-20 --involved
w request "$REF" --agency rbft --received 2027-01-21 --involved
w request "$REF" --agency bffc --received 2027-01-21 --involved

# The Case Review Group considers the case; its recommendation goes to the Independent Chair
on 2027-01-25
w advance "$REF"
w crg meeting "$REF" --on 2027-01-25 --present "Case Review Group Chair" --present "Police member" \
    --present "Designated Nurse" --present "Designated Doctor" --present "Children's social care member"
for member in "Case Review Group Chair" "Police member" "Designated Nurse" "Designated Doctor" \
              "Children's social care member"; do
    w crg recommend "$REF" --member "$member" --recommendation scr \
        --reason "Serious harm; abuse suspected; concerns about how agencies worked together"
done
on 2027-01-27
w crg conclude "$REF" --criteria-met --abuse-or-neglect suspected --outcome-for-child seriously_harmed \
    --recommendation scr --rationale "The SCR criteria in regulation 5(2) are met" --sent-to-chair 2027-01-27
w advance "$REF"
at chair_decision

# The Independent Chair decides; Ofsted, DfE and the National Panel are told within five working days
on 2027-01-29
w decide "$REF" --decision scr --rationale "Serious harm, abuse suspected, and agencies' joint working in question"
w advance "$REF"
for body in ofsted dfe national_panel; do
    render "$REF" decision-notification --to "$body"
    w notify "$REF" --recipient "$body" --document "$REGISTER/output/$REF/$REF-decision-notification-$body.docx"
done
render "$REF" notifier-notice --to notifier
w notify "$REF" --recipient notifier --document "$REGISTER/output/$REF/$REF-notifier-notice-notifier.docx"
for agency in tvp rbft bffc; do
    render "$REF" outcome-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-outcome-letter-$agency.docx"
done

# Initiation: reviewers appointed, terms of reference agreed, chronologies and reports asked for
on 2027-02-03
w advance "$REF"
at initiation
w review reviewer "$REF" --role chair --name "Morwenna Invented-Chair" --organisation "Independent" \
    --independence "No current or past role with any agency involved"
w review reviewer "$REF" --role overview_author --name "Tobias Invented-Author" --organisation "Independent" \
    --independence "No current or past role with any agency involved"
w review names-sent "$REF" --on 2027-02-03
w review terms "$REF" --scope-from 2026-08-01 --scope-to 2027-01-11 \
    --line "How agencies recognised and responded to injuries in a non-mobile baby and toddler" \
    --line "How information about the mother's partner was shared" --approved 2027-02-03
render "$REF" terms-of-reference
for agency in tvp rbft bffc; do
    w review agency-report "$REF" --agency "$agency" --requested 2027-02-03 --chronology-due 2027-03-03
    render "$REF" initiation-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-initiation-letter-$agency.docx"
done
render "$REF" family-letter --to family --person mother
w notify "$REF" --recipient family --person mother --purpose family_letter --method letter

on 2027-02-08
w advance "$REF"
at evidence
for member in "Police member:tvp" "Designated Nurse:bob-icb" "Named Nurse:rbft" "Head of Service:bffc" \
              "Named GP:bob-icb" "Head of Public Protection:probation"; do
    w review panel "$REF" --name "${member%%:*} (panel)" --role "${member%%:*}" --agency "${member##*:}"
done

# The chronologies arrive (each agency's own spreadsheet, saved as CSV) and are imported
on 2027-03-02
cat > "$INCOMING/tvp-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
14/08/2026,23:10,Command and control log,Mother; Mother's partner,Call from a neighbour about shouting at the flat.,Officers attended,No offences disclosed; domestic abuse risk assessment standard,PC 1,Child A not seen by the officers.
20/10/2026,18:30,Command and control log,Mother's partner,Mother's partner arrested for a public order offence in the town centre.,Charged,Court date set,PC 2,The partner's address (the family home) was not linked to the August call.
11/01/2027,09:40,Referral from hospital,Child A,Hospital reported a head injury with an inconsistent explanation.,Strategy discussion,Joint investigation with children's social care,DS 1,
CSV
cat > "$INCOMING/rbft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
20/08/2026,10:15,Outpatient clinic letter,Child A; Mother,Routine follow-up for a chest infection; growth and development normal.,Discharged to the GP,No concerns noted,Paediatrician 1,
02/11/2026,15:20,Emergency department record,Child A; Mother,Attended with a bruise to the forehead; said to be from a fall from a sofa.,Examined and discharged,No safeguarding referral,ED doctor 1,A bruise in a young child not explored with the history.
10/01/2027,21:05,Emergency department record,Child A; Mother; Mother's partner,Brought in drowsy with a head injury; explanations differed between the adults.,Admitted; CT scan; safeguarding referral,Referral to children's social care and police,Paediatric registrar 1,
CSV
cat > "$INCOMING/bffc-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
16/08/2026,11:00,Police notification (domestic abuse),Mother; Mother's partner,Notification of the police call-out received by the front door.,Screened,No further action,Social worker 1,The partner's history was not checked.
30/10/2026,14:00,Early help hub record,Mother,Mother asked the early help hub about nursery places and help with debt.,Signposted to the children's centre,Closed,Early help worker 1,No check of who lived in the household.
11/01/2027,10:30,Strategy discussion,Child A,Strategy discussion with police and hospital.,Section 47 enquiry started,Child protection enquiry,Team manager 1,
CSV
for agency in tvp rbft bffc; do
    w chronology import "$REF" --agency "$agency" "$INCOMING/$agency-chronology.csv"
    w review agency-report "$REF" --agency "$agency" --chronology-received 2027-03-02
done
w chronology merge "$REF" --pseudonymised
w chronology reviewed "$REF" --on 2027-03-02

# The agency reports come in, signed off by each agency and quality-assured by the panel
on 2027-03-26
for agency in tvp rbft bffc; do
    w review agency-report "$REF" --agency "$agency" --received 2027-03-26 --signed-off 2027-03-25 \
        --signed-off-by "Designated senior manager" --quality-assured 2027-03-26
done
w advance "$REF"
at analysis
w review meeting "$REF" --kind panel --on 2027-03-31 --note "Panel analysis of the merged chronology and agency reports"

# The overview report: drafted, recommendations adopted, final, approved by the LSCB within six months
on 2027-04-05
w advance "$REF"
at reporting
w plan recommendation "$REF" --id R1 --scope multi_agency --agency rbft --agency bffc --adopted 2027-05-10 \
    --text "Every bruise in a child under four seen in the emergency department is discussed with the safeguarding team"
w plan action "$REF" --recommendation R1 --id R1-A1 --lead-agency rbft --target 2027-09-30 \
    --lead-officer "Named Nurse for Safeguarding Children" \
    --action "Add the bruising protocol prompt to the emergency department record" \
    --measure "An audit of 50 records shows the prompt completed in 95%"
w plan recommendation "$REF" --id R2 --scope single_agency --agency bffc --adopted 2027-05-10 \
    --text "The front door checks the history of every adult in the household before deciding on a domestic abuse notification"
w plan action "$REF" --recommendation R2 --id R2-A1 --lead-agency bffc --target 2027-08-31 \
    --lead-officer "Head of the Front Door" --action "Revise the screening guidance and brief every screener"
on 2027-05-24
w review milestone "$REF" --milestone overview_final
w advance "$REF"
at approval
render "$REF" action-plan
on 2027-06-14
w review milestone "$REF" --milestone lscb_approved
w advance "$REF"
at publication

# Publication: the family first, copies to Ofsted, DfE and the Panel a week before, then published
on 2027-06-21
for body in ofsted dfe national_panel; do
    w notify "$REF" --recipient "$body" --purpose pre_publication_copy
done
w review milestone "$REF" --milestone shared_with_family --on 2027-06-22
on 2027-06-30
w review milestone "$REF" --milestone published --mode full
w advance "$REF"
at action_monitoring

# The action plan, rated at each LSCB meeting until every action is signed off
on 2027-07-19
w plan rag "$REF" --action R1-A1 --rag GREEN --note "Prompt designed; testing with the emergency department"
w plan rag "$REF" --action R2-A1 --rag AMBER --note "Guidance drafted; briefings delayed by staff changes"
render "$REF" rag-progress-report
on 2027-08-27
w plan sign-off "$REF" --action R2-A1 --by "Case Review Group Chair" \
    --evidence "Revised guidance issued on 2 August 2027; every screener briefed"
on 2027-09-28
w plan sign-off "$REF" --action R1-A1 --by "Case Review Group Chair" \
    --evidence "Audit of 50 records: prompt completed in 96%"
w advance "$REF"
at closed
w history "$REF"
w validate --strict
