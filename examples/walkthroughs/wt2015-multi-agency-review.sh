#!/usr/bin/env bash
# Working Together 2015: a multi-agency review, from the referral to closed.
#
# Child C (fictional), aged 8, and a younger sibling live with their father in Wokingham. Neglect has
# been known for years: the family has had three child in need plans, each closed when things improved
# for a while. Child C needs eight teeth taken out under a general anaesthetic and has missed a third
# of the school year. The CRG finds the SCR criteria not met (Child C was not seriously harmed) but
# clear multi-agency learning about long-term neglect, and recommends a multi-agency review; the
# Independent Chair agrees, Ofsted, DfE and the National Panel are told, a lead reviewer is appointed,
# the panel analyses the chronologies and agency reports with the practitioners, the LSCB approves the
# report, and the action plan is monitored until every action is signed off.
#
#   bash examples/walkthroughs/wt2015-multi-agency-review.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

on 2027-04-19
w init "$REGISTER" --procedure wt2015
cat > "$INCOMING/referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-04-19
lead_lscb: wokingham
intake: review_referral
route: agency
referrer:
  name: Anwen Invented-Referrer
  agency: wokingham-cs
  role: Service Manager, Children in Need
  email: anwen.referrer@example.org
  date: 2027-04-16
dsl_consulted: {consulted: true, name: Bryn Invented-Lead, role: Principal Social Worker, agency: wokingham-cs}
subjects: [child-c, sibling]
criteria: {wider: [risk_not_acted_on, child_protection_plan, procedural_failings]}
incident:
  date: 2027-04-07
  description: >-
    Child C had eight decayed teeth taken out under a general anaesthetic at the Royal Berkshire
    Hospital; the dentist made a safeguarding referral for dental neglect.
summary: >-
  Child C, aged 8, and a younger sibling have lived with their father since their mother left in 2024.
  Neglect (poor home conditions, missed health appointments, low school attendance) has been known to
  several agencies for three years; three child in need plans were closed when things improved for a
  short time. In April 2027 Child C needed eight teeth taken out under a general anaesthetic. Both
  children are now subject to child protection plans.
key_dates:
  - {date: 2026-11-20, event: Third child in need plan closed}
  - {date: 2027-04-07, event: Dental extractions under general anaesthetic; safeguarding referral}
immediate_actions: Strategy discussion on 9 April 2027; initial child protection conference on 15 April 2027.
other_children_at_risk: true
agencies_involved:
  - {agency: wokingham-cs, worker: Social Worker 1, still_involved: true}
  - {agency: bhft, worker: School Nurse 1, still_involved: true}
  - {agency: rbft, worker: Paediatric dentist, still_involved: true}
  - {agency: bob-icb, worker: GP practice, still_involved: true}
records_secured: true
people:
  - {id: child-c, pseudonym: Child C, role: subject, name: Tegan Invented-Hollis, date_of_birth: 2018-10-02,
     gender: female, child_protection_plan: current, open_to_social_care: true}
  - {id: sibling, pseudonym: Sibling, role: sibling, name: Macsen Invented-Hollis, date_of_birth: 2021-05-17}
  - {id: father, pseudonym: Father, role: parent, name: Emrys Invented-Hollis}
YAML
refer_from "$INCOMING/referral.yaml"
w next "$REF"

# Screening and the information requests (Appendix 2): 10 working days, over the May bank holiday
w advance "$REF"
on 2027-04-20
w screen "$REF" --outcome sufficient --rationale "Enough detail to ask the four agencies involved for information"
w advance "$REF"
for agency in wokingham-cs bhft rbft bob-icb; do
    render "$REF" information-request --agency "$agency"
    w request "$REF" --agency "$agency" --sent 2027-04-20
done
on 2027-05-05
w request "$REF" --agency wokingham-cs --received 2027-04-29 --involved
w request "$REF" --agency bhft --received 2027-04-30 --involved
w request "$REF" --agency rbft --received 2027-05-04 --involved
w request "$REF" --agency bob-icb --received 2027-05-05 --involved

# The Case Review Group: neglect known, no serious harm, so an alternative review; it recommends a
# multi-agency review
on 2027-05-10
w advance "$REF"
at crg_consideration
w crg meeting "$REF" --on 2027-05-10 --present "Case Review Group Chair" --present "Police member" \
    --present "Designated Nurse" --present "Designated Doctor" --present "Children's social care member"
for member in "Case Review Group Chair" "Police member" "Designated Nurse" "Designated Doctor" \
              "Children's social care member"; do
    w crg recommend "$REF" --member "$member" --recommendation multi_agency_review \
        --reason "Long-term neglect seen by four agencies, each plan closed too soon; not serious harm"
done
on 2027-05-12
w crg conclude "$REF" --criteria-not-met --abuse-or-neglect known --outcome-for-child neither \
    --concern-about-working-together --alternative-considered \
    --alternative-outcome "A multi-agency review with a lead reviewer: the learning is about how the agencies together responded to neglect over three years" \
    --recommendation multi_agency_review \
    --rationale "Neglect is known but Child C was not seriously harmed, so regulation 5(2) is not met; the multi-agency learning is clear" \
    --sent-to-chair 2027-05-12
w advance "$REF"
at chair_decision

# The Independent Chair agrees; Ofsted, DfE and the National Panel are told within five working days
on 2027-05-17
w decide "$REF" --decision multi_agency_review \
    --rationale "Not an SCR; a multi-agency review is proportionate to learn why repeated plans did not change the children's lives"
w advance "$REF"
at notifications
on 2027-05-18
for body in ofsted dfe national_panel; do
    render "$REF" decision-notification --to "$body"
    w notify "$REF" --recipient "$body" --document "$REGISTER/output/$REF/$REF-decision-notification-$body.docx"
done
render "$REF" notifier-notice --to notifier
w notify "$REF" --recipient notifier --document "$REGISTER/output/$REF/$REF-notifier-notice-notifier.docx"
for agency in wokingham-cs bhft rbft bob-icb; do
    render "$REF" outcome-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-outcome-letter-$agency.docx"
done
render "$REF" decision-audit-report

# Initiation: the CRG appoints the lead reviewer; the panel and the lead reviewer agree the terms of
# reference; chronologies and agency reports are asked for
on 2027-05-24
w advance "$REF"
at initiation
w review reviewer "$REF" --role lead_reviewer --name "Ffion Invented-Reviewer" --organisation "Independent" \
    --qualifications "Social worker; lead reviewer of four local reviews" \
    --independence "No current or past role with any agency involved"
w review terms "$REF" --scope-from 2026-11-01 --scope-to 2027-04-16 --methodology systems \
    --line "How agencies recognised and measured the impact of neglect on Child C and Sibling over time" \
    --line "Why each child in need plan closed before the change in the home had lasted" \
    --line "How missed health and dental appointments were followed up and shared" \
    --family-reference "Child C; Sibling; Father" --approved 2027-05-24
w review family "$REF" \
    --plan "The lead reviewer meets Father at home, and Child C at school with her teacher, before the practitioner event"
w review panel "$REF" --name "Hefin Invented-Panel" --role "Service Manager, Safeguarding and Quality" \
    --agency wokingham-cs --discipline "Social work"
w review panel "$REF" --name "Mererid Invented-Panel" --role "Designated Nurse for Safeguarding Children" \
    --agency bob-icb --discipline "Nursing"
w review panel "$REF" --name "Dafydd Invented-Panel" --role "Named Doctor for Safeguarding Children" \
    --agency rbft --discipline "Paediatrics"
w review panel "$REF" --name "Olwen Invented-Panel" --role "Named Nurse for Safeguarding Children" \
    --agency bhft --discipline "Health visiting and school nursing"
w review panel "$REF" --name "Tomos Invented-Panel" --role "Detective Inspector, Child Abuse Investigation" \
    --agency tvp --discipline "Police"
render "$REF" panel-membership
for agency in wokingham-cs bhft rbft bob-icb; do
    w review agency-report "$REF" --agency "$agency" --requested 2027-05-24 --chronology-due 2027-06-21 --due 2027-07-19
done
render "$REF" terms-of-reference
for agency in wokingham-cs bhft rbft bob-icb; do
    render "$REF" chronology-template --agency "$agency"
    render "$REF" agency-report-template --agency "$agency"
    render "$REF" initiation-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-initiation-letter-$agency.docx"
done
render "$REF" family-letter --to family --person father
w notify "$REF" --recipient family --person father --purpose family_letter --method letter \
    --document "$REGISTER/output/$REF/$REF-family-letter-father.docx"
w review family "$REF" --letter-sent 2027-05-24

on 2027-06-01
w advance "$REF"
at evidence
w review family "$REF" --contact-on 2027-06-01 --person father --method "home visit" \
    --note "Father described the help that made a difference and the times he felt judged"
w review meeting "$REF" --kind authors_briefing --on 2027-06-07 \
    --note "Lead reviewer briefed the agency report authors on the terms of reference"

# The chronologies arrive (each agency's own spreadsheet, saved as CSV) and are imported
on 2027-06-18
cat > "$INCOMING/wokingham-cs-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
20/11/2026,10:00,Case closure record,Child C; Sibling; Father,Child in need plan closed: home conditions improved.,Case closed,Step down to early help offered,Social Worker 1,Third closure in three years; no test of whether the change would last.
25/01/2027,14:30,Contact and referral record,Child C; Father,School referral: Child C hungry and unwashed.,Screened,Advice to school,Duty Social Worker 1,The history of three plans was not read.
19/03/2027,11:00,Contact and referral record,Child C; Sibling,Health visitor referral about Sibling's missed appointments.,Child and family assessment started,Assessment open,Social Worker 2,
09/04/2027,09:30,Strategy discussion,Child C; Sibling,Strategy discussion after the dental referral.,Section 47 enquiry,Initial child protection conference,Team Manager 1,
CSV
cat > "$INCOMING/bhft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
14/12/2026,13:00,School nursing record,Child C,Teacher worried about Child C's weight and toothache.,Advised Father to book a dentist,Review planned,School Nurse 1,
08/02/2027,09:45,Health visiting record,Sibling; Father,Sibling's developmental review missed for the second time.,Letter to Father,Not attended,Health Visitor 1,Missed appointments not linked with Child C's.
15/03/2027,10:30,Health visiting record,Sibling; Father,Home visit: home cold and little food.,Referral to children's social care,Referral made,Health Visitor 1,Good practice: a home visit after missed appointments.
CSV
cat > "$INCOMING/rbft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
02/12/2026,15:10,Paediatric dental clinic letter,Child C; Father,Child C not brought to the dental clinic.,Discharged back to the GP,Not brought,Dental Clerk 1,Discharged after one missed appointment.
22/02/2027,14:00,Paediatric dental clinic record,Child C; Father,Child C seen on a second referral; severe decay.,Listed for extractions under general anaesthetic,Waiting list,Paediatric Dentist 1,
07/04/2027,08:00,Day surgery record,Child C; Father,Eight teeth taken out under a general anaesthetic.,Safeguarding referral for dental neglect,Referral to children's social care,Paediatric Dentist 1,
09/04/2027,09:30,Safeguarding team record,Child C; Sibling,Named Nurse took part in the strategy discussion.,Dental and clinic history shared,Section 47 enquiry agreed,Named Nurse 1,
CSV
cat > "$INCOMING/bob-icb-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
10/11/2026,16:20,GP practice record,Child C; Father,Father asked for help with Child C's toothache.,Dental referral,Referral to the paediatric dental clinic,GP 1,
18/01/2027,11:00,GP practice record,Child C,Dental clinic discharge letter received.,Filed,No action,GP 1,A child not brought to the clinic was not followed up.
12/04/2027,15:00,GP practice record,Child C; Sibling; Father,Safeguarding meeting at the practice after the extractions.,Flagged both children's records,Attending conference,GP 2,
CSV
for agency in wokingham-cs bhft rbft bob-icb; do
    w chronology import "$REF" --agency "$agency" "$INCOMING/$agency-chronology.csv"
    w review agency-report "$REF" --agency "$agency" --chronology-received 2027-06-18
done
w chronology merge "$REF" --pseudonymised
w chronology merge "$REF" --pseudonymised --format docx
w chronology reviewed "$REF" --on 2027-06-18

# The agency reports come in, signed off by each agency and quality-assured by the panel
on 2027-07-16
for agency in wokingham-cs bhft rbft bob-icb; do
    w review agency-report "$REF" --agency "$agency" --received 2027-07-15 --signed-off 2027-07-14 \
        --signed-off-by "Designated senior manager" --quality-assured 2027-07-16
done
on 2027-07-19
w advance "$REF"
at analysis
w review meeting "$REF" --kind panel --on 2027-07-26 --note "Panel analysis of the merged chronology and the four agency reports"
on 2027-08-09
w review meeting "$REF" --kind practitioner_event --on 2027-08-09 \
    --note "Practitioners from the four agencies met the lead reviewer and the panel"

# The report: drafted by the lead reviewer, recommendations agreed by the panel, approved by the LSCB
on 2027-08-16
w advance "$REF"
at reporting
w plan recommendation "$REF" --id R1 --scope multi_agency --agency wokingham-cs --agency bhft --agency bob-icb \
    --adopted 2027-10-04 \
    --text "No child in need plan for neglect closes until the change has lasted six months and every agency involved agrees"
w plan action "$REF" --recommendation R1 --id R1-A1 --lead-agency wokingham-cs --target 2028-01-31 \
    --lead-officer "Head of Service, Children in Need" \
    --action "Change the closure procedure for neglect cases and use the neglect tool at every review" \
    --measure "Audit of 20 closed neglect cases: every closure meets the test"
w plan recommendation "$REF" --id R2 --scope multi_agency --agency rbft --agency bob-icb --agency bhft --adopted 2027-10-04 \
    --text "A child not brought to a health appointment is followed up, not discharged"
w plan action "$REF" --recommendation R2 --id R2-A1 --lead-agency rbft --target 2027-11-30 \
    --lead-officer "Named Nurse for Safeguarding Children" \
    --action "Adopt the was not brought policy in paediatric dental and outpatient clinics"
w plan action "$REF" --recommendation R2 --id R2-A2 --lead-agency bob-icb --target 2028-01-31 \
    --lead-officer "Named GP for Safeguarding" \
    --action "Brief every GP practice on acting on clinic letters about children not brought"
on 2027-09-10
w review milestone "$REF" --milestone overview_first_draft
render "$REF" executive-summary
on 2027-10-04
w review meeting "$REF" --kind panel --on 2027-10-04 --note "Panel signed off the report and adopted the recommendations"
w review milestone "$REF" --milestone panel_signed_off
w review milestone "$REF" --milestone overview_final
w advance "$REF"
at approval
render "$REF" action-plan
on 2027-10-18
w review milestone "$REF" --milestone lscb_approved
w review milestone "$REF" --milestone shared_with_family --on 2027-10-21
w advance "$REF"
at action_monitoring

# The action plan, rated at each LSCB meeting until every action is signed off
on 2027-11-15
w plan rag "$REF" --action R1-A1 --rag GREEN --note "Closure procedure drafted; consultation with team managers"
w plan rag "$REF" --action R2-A1 --rag GREEN --note "Was not brought policy agreed; clinic letters being changed"
w plan rag "$REF" --action R2-A2 --rag AMBER --note "Briefing planned for the January protected learning time"
render "$REF" rag-progress-report
on 2027-11-29
w plan sign-off "$REF" --action R2-A1 --by "Case Review Group Chair" \
    --evidence "Policy in use in both clinics from 22 November 2027; new letter templates"
on 2028-01-24
w plan sign-off "$REF" --action R1-A1 --by "Case Review Group Chair" \
    --evidence "Revised procedure issued 13 December 2027; audit of 20 closures all meet the test"
w plan sign-off "$REF" --action R2-A2 --by "Case Review Group Chair" \
    --evidence "Protected learning time briefing on 20 January 2028 attended by all 14 practices"
render "$REF" rag-progress-report
w advance "$REF"
at closed
w history "$REF"
w validate --strict
