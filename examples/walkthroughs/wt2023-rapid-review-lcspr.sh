#!/usr/bin/env bash
# Working Together 2023: a serious incident notification, a rapid review and a local child safeguarding
# practice review (LCSPR), from the notification to closed.
#
# Child B (fictional), aged 9 months, is admitted to hospital with a skull fracture and older rib
# fractures that nobody explains. Reading's children's social care (the local authority) becomes aware
# the next morning and notifies the Child Safeguarding Practice Review Panel and Ofsted within five
# working days. The safeguarding partners ask the agencies for information, hold the rapid review and
# decide on an LCSPR; the rapid review report, with the decision, goes to the Panel within fifteen
# working days of the notification. The LCSPR is held (`--decision lcspr`, with the regulation 11
# criteria the partners found met), the partners approve the report, copies go to the Panel and the Secretary of State seven working days
# before it is published within six months of the decision, and the action plan is monitored until every
# action is signed off.
#
#   bash examples/walkthroughs/wt2023-rapid-review-lcspr.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

AGENCIES="tvp rbft bhft bffc"

# Sunday night Child B is brought to the emergency department; on Monday morning the hospital's
# safeguarding referral reaches children's social care: the local authority is aware of the incident
on 2027-01-11
w init "$REGISTER" --procedure wt2023
cat > "$INCOMING/referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-01-11
became_aware: 2027-01-11
lead_lscb: reading
intake: review_referral
route: agency
referrer: {name: Imogen Invented-Manager, agency: bffc, role: "Head of Service, Children's Social Care", date: 2027-01-11}
dsl_consulted: {consulted: true, name: Talwyn Invented-Lead, role: Principal Social Worker, agency: bffc}
subjects: [child-b]
criteria: {must_notify: [serious_harm_concern, life_threatening_injury]}
incident:
  date: 2027-01-10
  description: >-
    Child B, aged 9 months, was brought to the Royal Berkshire Hospital emergency department late on
    Sunday 10 January 2027, drowsy and vomiting. A CT scan found a skull fracture and a skeletal survey
    found older rib fractures. Neither parent offered an explanation.
summary: >-
  Child B, aged 9 months, has a skull fracture and older rib fractures with no explanation. Abuse is
  suspected. Police and children's social care are investigating; Child B is in hospital and will be
  discharged to foster care under a police protection order.
immediate_actions: >-
  Strategy discussion on 11 January 2027; section 47 enquiry; Child B to foster care on discharge;
  the parents' contact supervised.
other_children_at_risk: false
parallel_processes: {police_investigation: true, criminal_proceedings: true}
agencies_involved:
  - {agency: tvp}
  - {agency: rbft}
  - {agency: bhft}
  - {agency: bffc}
records_secured: true
people:
  - {id: child-b, pseudonym: Child B, role: subject, name: Lowen Invented-Trevaskis, date_of_birth: 2026-04-02}
  - {id: mother, pseudonym: Mother, role: parent, name: Demelza Invented-Trevaskis}
  - {id: father, pseudonym: Father, role: parent, name: Jago Invented-Pascoe}
YAML
refer_from "$INCOMING/referral.yaml"
at notification
w next "$REF"

# The partners ask each agency for what it knew, for the rapid review (answers in five working days)
on 2027-01-12
for agency in $AGENCIES; do
    w request "$REF" --agency "$agency" --sent 2027-01-12 --due 2027-01-19
    render "$REF" information-request --agency "$agency"
done

# The local authority notifies the Panel and Ofsted: due within 5 working days of becoming aware
# (made on the Panel's online form; wbcr's serious-incident-notification is the register's record of it)
on 2027-01-13
render "$REF" serious-incident-notification
for body in national_panel ofsted safeguarding_partners; do
    w notify "$REF" --recipient "$body" --purpose serious_incident_notification \
        --note "Serious incident notification form submitted online"
done
w advance "$REF"
at rapid_review
w next "$REF"

on 2027-01-19
for agency in $AGENCIES; do
    w request "$REF" --agency "$agency" --received 2027-01-19 --involved
done

# The rapid review: the three safeguarding partners' delegates (local authority, police, ICB) and the
# designated doctor meet, each says whether the case meets the criteria for an LCSPR
on 2027-01-26
w crg meeting "$REF" --on 2027-01-26 --present "Children's social care member" --present "Police member" \
    --present "Designated Nurse" --present "Designated Doctor"
for member in "Children's social care member" "Police member" "Designated Nurse" "Designated Doctor"; do
    w crg recommend "$REF" --member "$member" --recommendation lcspr \
        --reason "Serious harm, abuse suspected; the bruise seen by the health visitor was not shared"
done
w crg conclude "$REF" --criteria-met --abuse-or-neglect suspected --outcome-for-child seriously_harmed \
    --recommendation lcspr --sent-to-chair 2027-01-26 \
    --rationale "The criteria for a local child safeguarding practice review are met: serious harm, abuse suspected, and learning about how health and social care shared information" \
    --went-well "The emergency department recognised the injuries at once and referred to children's social care the same night" \
    --learning "A bruise on a non-mobile baby was seen by health visiting and not referred; two police call-outs to the home were not linked or shared with health" \
    --in-hand "Health visiting has re-briefed its staff on the bruising protocol while the review is under way" \
    --no-national-review --national-review-reason "The learning is about local information sharing; the Panel's national work on non-mobile babies already covers the wider questions"
w advance "$REF"
at decision

# The safeguarding partners decide on an LCSPR; the rapid review report, with the decision, goes to
# the Panel within 15 working days of the notification
on 2027-01-28
w decide "$REF" --decision lcspr --by "Reading safeguarding partners" \
    --consideration improvements_needed --consideration agencies_working_together \
    --rationale "Serious harm with abuse suspected; the rapid review found learning about how health and social care shared information that a local child safeguarding practice review should bring out"
on 2027-01-29
render "$REF" rapid-review-report --to national_panel
render "$REF" partners-decision-letter --to national_panel
w notify "$REF" --recipient national_panel \
    --document "$REGISTER/output/$REF/$REF-rapid-review-report-national_panel.docx"
render "$REF" notifier-notice --to notifier
w notify "$REF" --recipient notifier --document "$REGISTER/output/$REF/$REF-notifier-notice-notifier.docx"
for agency in $AGENCIES; do
    render "$REF" outcome-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-outcome-letter-$agency.docx"
done
w report decisions

# Initiation: the lead reviewer appointed, terms of reference agreed, chronologies and reports asked for
on 2027-02-03
w advance "$REF"
at initiation
render "$REF" decision-audit-report
w review reviewer "$REF" --role lead_reviewer --name "Senara Invented-Reviewer" --organisation "Independent" \
    --qualifications "Registered social worker; lead reviewer of six local child safeguarding practice reviews" \
    --independence "No current or past role with any agency involved"
w review terms "$REF" --scope-from 2026-09-01 --scope-to 2027-01-11 --methodology systems \
    --line "How agencies recognised and responded to a bruise on a non-mobile baby" \
    --line "How information about the call-outs to the family home was shared between police, social care and health" \
    --family-reference "The child is Child B and the parents Mother and Father; professionals are referred to by their role" --approved 2027-02-03
for agency in $AGENCIES; do
    w review agency-report "$REF" --agency "$agency" --requested 2027-02-03 --chronology-due 2027-03-03 \
        --due 2027-03-31
done
render "$REF" terms-of-reference
for agency in $AGENCIES; do
    render "$REF" initiation-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-initiation-letter-$agency.docx"
    render "$REF" chronology-template --agency "$agency"
    render "$REF" agency-report-template --agency "$agency"
done
render "$REF" family-letter --to family --person mother
w notify "$REF" --recipient family --person mother --method letter --document "$REGISTER/output/$REF/$REF-family-letter-mother.docx"

on 2027-02-08
w advance "$REF"
at evidence
on 2027-02-19
w panel-response "$REF" --outcome agrees --on 2027-02-19 \
    --note "The Panel agrees that a local review is appropriate and asks to see the final report"
for member in "Police panel member:Detective Inspector:tvp:Policing" \
              "Acute trust panel member:Named Nurse:rbft:Nursing" \
              "Community health panel member:Named Nurse:bhft:Health visiting" \
              "ICB panel member:Designated Nurse:bob-icb:Nursing" \
              "Social care panel member:Head of Service:bffc:Social work"; do
    IFS=: read -r name role agency discipline <<<"$member"
    w review panel "$REF" --name "$name" --role "$role" --agency "$agency" --discipline "$discipline"
done
render "$REF" panel-membership

# The chronologies arrive (each agency's own spreadsheet, saved as CSV) and are imported
on 2027-03-02
cat > "$INCOMING/tvp-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
14/09/2026,22:40,Command and control log,Mother; Father,Neighbour reported shouting and a baby crying at the flat.,Officers attended,Verbal argument only; domestic abuse risk assessment standard,PC 1,Child B seen asleep; notification sent to children's social care.
02/11/2026,23:05,Command and control log,Mother; Father,Second call from the neighbour about raised voices.,Telephone contact with Mother,Closed without attendance; no units available,Call handler 1,No officer saw Child B; the September call-out was not linked.
11/01/2027,09:40,Referral from hospital,Child B,Hospital reported a skull fracture and older rib fractures.,Strategy discussion,Joint investigation with children's social care,DS 1,
CSV
cat > "$INCOMING/rbft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
22/10/2026,19:30,Emergency department record,Child B; Mother,Brought in with a fever and a cough; viral illness.,Examined and discharged,Advice to the parents,ED doctor 1,No body map; not asked about other injuries.
10/01/2027,23:20,Emergency department record,Child B; Mother; Father,Brought in drowsy and vomiting; skull fracture on CT; older rib fractures on skeletal survey.,Admitted; safeguarding referral,Referral to children's social care and police,Paediatric registrar 1,
CSV
cat > "$INCOMING/bhft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
05/11/2026,14:30,Health visiting record,Child B; Mother,Seven-month review; a small bruise on Child B's cheek said to be from a toy.,Advice given,No referral,Health Visitor 1,A bruise on a non-mobile baby not referred under the bruising protocol.
11/01/2027,15:00,Health visiting record,Child B,Told of the admission by children's social care.,Records secured,Invited to the strategy meeting,Health Visitor 1,
CSV
cat > "$INCOMING/bffc-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
16/09/2026,11:00,Police notification (domestic abuse),Mother; Father,Notification of the police call-out received by the front door.,Screened,No further action,Social worker 1,Not shared with the health visitor.
04/11/2026,10:15,Police notification (domestic abuse),Mother; Father,Notification of the second call about the household.,Screened,No further action,Social worker 2,The September notification was not looked at; a pattern was missed.
11/01/2027,10:30,Strategy discussion,Child B,Strategy discussion with police and hospital.,Section 47 enquiry started,Child protection enquiry,Team manager 1,
CSV
for agency in $AGENCIES; do
    w chronology import "$REF" --agency "$agency" "$INCOMING/$agency-chronology.csv"
    w review agency-report "$REF" --agency "$agency" --chronology-received 2027-03-02
done
w chronology merge "$REF" --pseudonymised
w chronology reviewed "$REF" --on 2027-03-02

# The agency reports come in, signed off by each agency and quality-assured by the panel
on 2027-03-26
for agency in $AGENCIES; do
    w review agency-report "$REF" --agency "$agency" --received 2027-03-26 --signed-off 2027-03-25 \
        --signed-off-by "Designated senior manager" --quality-assured 2027-03-26
done
w advance "$REF"
at analysis
on 2027-04-07
w review meeting "$REF" --kind practitioner_event --on 2027-04-07 \
    --note "Practitioners from the four agencies reflect on the case with the lead reviewer"
w review meeting "$REF" --kind panel --on 2027-04-09 --note "Panel analysis of the merged chronology and agency reports"

# The report: drafted, recommendations adopted, final, approved by the safeguarding partners
on 2027-04-12
w advance "$REF"
at reporting
on 2027-04-30
w review milestone "$REF" --milestone overview_first_draft
on 2027-05-10
w plan recommendation "$REF" --id R1 --scope multi_agency --agency bhft --agency rbft --adopted 2027-05-10 \
    --text "Every bruise seen on a non-mobile baby is referred to children's social care under the Berkshire bruising protocol"
w plan action "$REF" --recommendation R1 --id R1-A1 --lead-agency bhft --target 2027-09-30 \
    --lead-officer "Named Nurse for Safeguarding Children" \
    --action "Brief every health visitor on the bruising protocol and add a prompt to the record" \
    --measure "An audit of 30 records shows every bruise on a non-mobile baby referred"
w plan recommendation "$REF" --id R2 --scope single_agency --agency bffc --adopted 2027-05-10 \
    --text "The front door shares every domestic abuse notification about a family with a baby with the health visitor"
w plan action "$REF" --recommendation R2 --id R2-A1 --lead-agency bffc --target 2027-08-31 \
    --lead-officer "Head of the Front Door" --action "Add the health visitor to the notification workflow"
on 2027-05-24
w review milestone "$REF" --milestone overview_final
w review milestone "$REF" --milestone executive_summary
render "$REF" executive-summary
w review milestone "$REF" --milestone panel_signed_off --on 2027-05-27
on 2027-06-14
# the safeguarding partners approve the report (wbcr's only approval milestone is lscb_approved) and
# plan publication for Wednesday 7 July: from now on, the copies due before it are on the deadlines
w review milestone "$REF" --milestone lscb_approved
w review milestone "$REF" --milestone publication_planned --on 2027-07-07
w deadlines

# Publication planned for Wednesday 7 July 2027: copies to the Panel and the Secretary of State at least
# 7 working days before (by Monday 28 June), the family told first
on 2027-06-25
for body in national_panel secretary_of_state; do
    render "$REF" pre-publication-letter --to "$body"
    w notify "$REF" --recipient "$body" --document "$REGISTER/output/$REF/$REF-pre-publication-letter-$body.docx"
done
w advance "$REF"
at publication
render "$REF" action-plan
w review milestone "$REF" --milestone shared_with_family --on 2027-06-29
on 2027-07-07
w review milestone "$REF" --milestone published --mode full
w advance "$REF"
at action_monitoring

# The action plan, rated at each partnership meeting until every action is signed off
on 2027-07-19
w plan rag "$REF" --action R1-A1 --rag GREEN --note "Briefings booked; record prompt in testing"
w plan rag "$REF" --action R2-A1 --rag AMBER --note "Workflow change waiting for the case management system release"
render "$REF" rag-progress-report
on 2027-08-27
w plan sign-off "$REF" --action R2-A1 --by "Chair of the partnership's learning sub-group" \
    --evidence "Workflow live from 16 August 2027; every notification about a family with a baby copied to the health visitor"
on 2027-09-28
w plan sign-off "$REF" --action R1-A1 --by "Chair of the partnership's learning sub-group" \
    --evidence "Every health visitor briefed; audit of 30 records: every bruise on a non-mobile baby referred"
render "$REF" rag-progress-report
w advance "$REF"
at closed
render "$REF" decision-audit-report
w report decisions
w history "$REF"
w validate --strict
