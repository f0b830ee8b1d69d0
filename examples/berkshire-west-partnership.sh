#!/usr/bin/env bash
# Builds examples/berkshire-west-partnership/: the example register of a safeguarding partnership under
# Working Together 2023, from `wbcr init` to 26 November 2026, with wbcr commands only.
#
# The partnership is fictional, modelled on the Berkshire West Safeguarding Children Partnership (the
# safeguarding partners for Reading, West Berkshire and Wokingham since 2019): the agencies are real
# organisations, and every child, family member, practitioner, address and event is invented. Six
# cases, each at the point it would have reached on Thursday 26 November 2026 (the date the test suite
# uses), told in the order things happened, as the Partnership Business Unit would have recorded them:
#
#   WBCR-2024-001  Child H24, a baby's sudden death while co-sleeping, neglect known: rapid review,
#                  LCSPR (extended while the police investigated), published, action plan monitored
#   WBCR-2025-001  Child K25, a toddler who swallowed methadone: rapid review, no LCSPR, the Panel
#                  agrees, closed (the notification to the Panel a day late, with the reason)
#   WBCR-2025-002  Child W25, a contribution to another partnership's LCSPR: reports sent, monitored
#   WBCR-2026-001  Child T26, diabetic ketoacidosis after missed clinics: rapid review, single-agency
#                  learning review by the hospital trust, findings shared, its action plan monitored
#   WBCR-2026-002  Child R26, a looked-after young person's death: notices to the Secretary of State,
#                  Ofsted and the Panel, rapid review, multi-agency audit commissioned
#   WBCR-2026-003  Child M26, a baby with fractures: at the rapid review, its report due 9 December 2026
#
# What arrives from outside (referrals, agencies' chronologies) is written to a scratch folder first,
# as it would arrive by secure e-mail; no record is edited by hand. Documents are not rendered.
#
#   bash examples/berkshire-west-partnership.sh /tmp/new-register
#
# then copy the register, without .git and output/, over examples/berkshire-west-partnership/.

source "$(dirname "$0")/walkthroughs/lib.sh"

# The example has no board key: the key `wbcr init` creates is kept in the scratch folder and goes
# with it, so only its fingerprint stays in wbcr.yaml (as `wbcr init` writes it).
export WBCR_KEY_DIR="$INCOMING/board-key"
# Who records each step (stage history `by`): the Partnership Business Unit's coordinator
export WBCR_ACTOR="Nadia Okafor"

# `check REF STAGE`: stop unless case REF is at STAGE (lib.sh's `at`, for one of several cases)
check() {
    REF=$1
    at "$2"
}

PARTNERS="Delegated safeguarding partners (local authority, ICB and Thames Valley Police)"
RRG=("Rapid Review Group Chair" "Children's social care member" "Police member" "Designated Nurse" "Designated Doctor")
present_all() {
    local args=() member
    for member in "${RRG[@]}"; do
        args+=(--present "$member")
    done
    printf '%s\n' "${args[@]}"
}

# ===================================================================================================
# WBCR-2024-001, Child H24 (Reading). Sunday 20 October 2024: a seven-week-old baby is found
# unresponsive in the parents' bed and dies. Mother had been drinking. Child H24's brothers were on
# child protection plans for neglect, and Child H24 had been added to the plan at birth: neglect known.
# The joint agency response to the unexpected death brings it to children's social care on Monday.
# ===================================================================================================
on 2024-10-21
w init "$REGISTER" --procedure wt2023
cat > "$INCOMING/h24-referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2024-10-21
became_aware: 2024-10-21
lead_lscb: reading
intake: review_referral
route: rapid_response
referrer:
  name: Helen Marsh
  agency: bffc
  role: Head of Service, Children in Need and Child Protection
  email: helen.marsh@bffc.example.org
  phone: 0118 496 0231
  date: 2024-10-21
dsl_consulted: {consulted: true, name: Amira Shah, role: Principal Social Worker, agency: bffc}
subjects: [child-h24]
criteria:
  must_notify: [death_abuse_neglect]
  wider: [child_protection_plan, risk_not_shared]
incident:
  date: 2024-10-20
  description: >-
    Child H24, aged seven weeks, was found unresponsive in the parents' bed at about 06:30 on Sunday
    20 October 2024. Father called an ambulance; South Central Ambulance Service took Child H24 to the
    Royal Berkshire Hospital, where resuscitation was stopped at 07:41. Mother told the police she had
    drunk most of a bottle of wine the evening before and fallen asleep feeding Child H24 in bed.
summary: >-
  Child H24 and two older brothers were subject to child protection plans for neglect (the brothers
  since June 2024, Child H24 from birth). The plan included safe sleeping arrangements for the new
  baby and work on Mother's use of alcohol. Health visiting, maternity, the GP and children's social
  care had each given safer sleep advice; Mother's increased drinking after the birth was mentioned to
  the GP at her postnatal check but not shared. The referrer believes there is learning about safer
  sleep advice for families where alcohol is a risk, and about how agencies on a child protection plan
  share what they know.
key_dates:
  - {date: 2024-06-20, event: Initial child protection conference for the two brothers (neglect)}
  - {date: 2024-08-31, event: Child H24 born at the Royal Berkshire Hospital}
  - {date: 2024-10-20, event: Child H24 died}
immediate_actions: >-
  Joint agency response home visit with the police on 20 October 2024; the brothers placed with the
  maternal grandmother under a safety plan; strategy discussion on 21 October 2024.
other_children_at_risk: true
parallel_processes: {police_investigation: true, coroner: true}
agencies_involved:
  - {agency: bffc, worker: Social Worker 1, still_involved: true}
  - {agency: tvp, still_involved: true}
  - {agency: rbft, worker: Community Midwife 1, still_involved: false}
  - {agency: bhft, worker: Health Visitor 1, still_involved: true}
  - {agency: bob-icb, worker: GP 1 (through the Designated Nurse), still_involved: true}
  - {agency: scas, still_involved: false}
records_secured: true
people:
  - {id: child-h24, pseudonym: Child H24, role: subject, relationship: Subject child, name: Harley Jay Dunmore,
     date_of_birth: 2024-08-31, date_of_death: 2024-10-20, gender: Male, ethnicity: White British,
     address: "14 Kennetside Row, Reading", postcode: RG1 9ZX, nhs_number: 999 402 1187,
     legal_status: Child protection plan (neglect), child_protection_plan: current, open_to_social_care: true}
  - {id: sibling-1, pseudonym: Sibling 1, role: sibling, relationship: "Brother, aged 5", name: Kai Dunmore,
     date_of_birth: 2019-05-14, child_protection_plan: current}
  - {id: sibling-2, pseudonym: Sibling 2, role: sibling, relationship: "Brother, aged 3", name: Alfie Dunmore,
     date_of_birth: 2021-02-03, child_protection_plan: current}
  - {id: mother, pseudonym: Mother, role: parent, relationship: Mother, name: Stacey Louise Dunmore,
     date_of_birth: 1997-11-02, address: "14 Kennetside Row, Reading", postcode: RG1 9ZX}
  - {id: father, pseudonym: Father, role: parent, relationship: Father of Child H24 and Sibling 2, name: Ryan Cole,
     date_of_birth: 1995-07-19, address: "14 Kennetside Row, Reading", postcode: RG1 9ZX}
  - {id: maternal-grandmother, pseudonym: Maternal grandmother, role: relative, relationship: Maternal grandmother,
     name: Denise Dunmore}
YAML
refer_from "$INCOMING/h24-referral.yaml"
H24=$REF
H24_AGENCIES="tvp rbft bhft bffc bob-icb"
check "$H24" notification

# The partnership business unit asks each agency for what it knew, for the rapid review
on 2024-10-22
for agency in $H24_AGENCIES; do
    w request "$H24" --agency "$agency" --sent 2024-10-22 --due 2024-10-29
done

# Reading's children's social care notifies the Panel and Ofsted (one online form) and tells the
# safeguarding partners, within five working days of becoming aware (due 28 October)
on 2024-10-23
for body in national_panel ofsted safeguarding_partners; do
    w notify "$H24" --recipient "$body" --purpose serious_incident_notification \
        --note "Serious incident notification submitted on the Child Safeguarding Online Notification form; the partners told at their weekly call"
done
w advance "$H24"
check "$H24" rapid_review

on 2024-10-29
for agency in $H24_AGENCIES; do
    w request "$H24" --agency "$agency" --received 2024-10-29 --involved
done

# The rapid review meeting: all five members say the criteria for an LCSPR are met
on 2024-11-06
mapfile -t PRESENT < <(present_all)
w crg meeting "$H24" --on 2024-11-06 "${PRESENT[@]}"
for member in "${RRG[@]}"; do
    w crg recommend "$H24" --member "$member" --recommendation lcspr \
        --reason "A death with neglect known while the children were on child protection plans; safer sleep advice was given by four agencies but the risk from alcohol was not brought together"
done
w crg conclude "$H24" --criteria-met --abuse-or-neglect known --outcome-for-child died \
    --concern-about-working-together --recommendation lcspr --sent-to-chair 2024-11-06 \
    --rationale "A serious child safeguarding case: Child H24 died and neglect was known. The rapid review found that the GP knew Mother was drinking more after the birth and that the core group did not; safer sleep advice was given without asking about alcohol. The learning is about how agencies work together on a plan and is not yet known locally." \
    --went-well "The joint agency response was prompt; the brothers were safe with their grandmother the same day; every agency gave safer sleep advice" \
    --learning "The GP knew Mother was drinking most evenings after the birth and the core group did not; safer sleep advice did not cover alcohol; the GP was not part of the core group" \
    --in-hand "Health visiting has added alcohol to its safer sleep conversation while the review is under way" \
    --no-national-review --national-review-reason "The Panel's 2020 national review of sudden unexpected death in infancy covers the national questions; the learning here is about local practice"
w advance "$H24"
check "$H24" decision

on 2024-11-08
w decide "$H24" --decision lcspr --by "$PARTNERS" \
    --consideration improvements_needed --consideration recurrent_themes --consideration agencies_working_together \
    --rationale "An LCSPR: the case may highlight improvements needed in safer sleep work with families where alcohol is a risk, a recurrent theme of the Panel's national review of sudden unexpected infant deaths, and concerns about how the agencies on the child protection plan shared information"

# The rapid review report, with the decision, goes to the Panel (due 13 November); the notifier and
# the agencies are told
on 2024-11-11
w notify "$H24" --recipient national_panel --purpose rapid_review_report \
    --note "Rapid review report with the partners' decision to hold an LCSPR, sent to the Panel secretariat"
w notify "$H24" --recipient notifier --purpose notifier_notice --name "Helen Marsh"
for agency in $H24_AGENCIES; do
    w notify "$H24" --recipient "agency:$agency" --purpose outcome_letter
done

on 2024-11-13
w advance "$H24"
check "$H24" initiation
on 2024-11-25
w review reviewer "$H24" --role lead_reviewer --name "Gillian Hartnell" --organisation "Independent" \
    --qualifications "Registered social worker; former Head of Safeguarding; lead reviewer of nine local child safeguarding practice reviews" \
    --independence "No current or past role with any agency in Berkshire West"
on 2024-12-04
w review terms "$H24" --scope-from 2024-02-12 --scope-to 2024-10-20 --methodology systems \
    --line "How safer sleep advice was given to a family where a parent's drinking was a known risk" \
    --line "How information about Mother's drinking was shared between the GP, health visiting, maternity and the core group" \
    --line "How the pre-birth assessment and the child protection plan addressed the new baby's safety at night" \
    --line "What helped and hindered professionals in talking to the parents about alcohol" \
    --family-reference "The child is Child H24; his brothers are Sibling 1 and Sibling 2; the parents are Mother and Father; professionals are referred to by their role" \
    --approved 2024-12-04
for agency in $H24_AGENCIES; do
    w review agency-report "$H24" --agency "$agency" --requested 2024-12-04 --chronology-due 2025-01-08 \
        --due 2025-02-12
    w notify "$H24" --recipient "agency:$agency" --purpose initiation_letter
done
on 2024-12-05
w panel-response "$H24" --outcome agrees --on 2024-12-05 \
    --note "The Panel agrees an LCSPR is appropriate and asks to see the final report; it notes the links to its 2020 national review of sudden unexpected death in infancy"
on 2024-12-09
w review family "$H24" --plan "The lead reviewer offers to meet Mother and Father, separately if they prefer, once the police agree; the maternal grandmother is offered a meeting too" \
    --letter-sent 2024-12-09
w notify "$H24" --recipient family --purpose family_letter --method letter
w advance "$H24"
check "$H24" evidence
for member in "Detective Inspector, Protecting Vulnerable People:Detective Inspector:tvp:Policing" \
              "Named Midwife for Safeguarding:Named Midwife:rbft:Midwifery" \
              "Named Nurse for Safeguarding Children:Named Nurse:bhft:Health visiting" \
              "Designated Nurse for Safeguarding Children:Designated Nurse:bob-icb:Nursing" \
              "Named GP for Safeguarding:Named GP:bob-icb:General practice" \
              "Head of Service, Quality Assurance:Head of Service:bffc:Social work"; do
    IFS=: read -r name role agency discipline <<<"$member"
    w review panel "$H24" --name "$name" --role "$role" --agency "$agency" --discipline "$discipline"
done

# The chronologies arrive (each agency's spreadsheet, saved as CSV) and are imported
on 2025-01-08
cat > "$INCOMING/h24-tvp.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
28/03/2024,23:10,Command and control log,Mother; Father,Neighbour reported shouting at the house; officers found Mother intoxicated and the two brothers asleep upstairs.,Domestic abuse risk assessment (standard); notification to children's social care,No offences disclosed,PC 1,First record of Mother's drinking while caring for the children.
01/06/2024,21:45,Command and control log,Mother; Sibling 1; Sibling 2,Neighbour reported Mother unable to stand with the children in the garden.,Officers attended; the children's grandmother called to care for them,Notification to children's social care; strategy discussion requested,PC 2,Led to the child protection enquiry.
24/08/2024,19:20,Command and control log,Mother,Anonymous caller said a heavily pregnant woman at the address was drunk.,Welfare check,Mother sober and calm; Father at home; no further action,PC 3,Not linked to the child protection plan on the police system.
20/10/2024,06:52,Command and control log,Child H24; Mother; Father,Ambulance service reported a baby not breathing at the address.,Officers attended; joint agency response with the paediatrician,Scene preserved; investigation opened,DS 1,
CSV
cat > "$INCOMING/h24-rbft.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
19/02/2024,10:30,Maternity booking record,Mother,Booking appointment; Mother said she drank 'a bit' before the pregnancy and had stopped.,Routine antenatal care,Alcohol screening tool not completed,Community Midwife 1,The screening tool would have given a score to follow up.
15/04/2024,14:00,Ultrasound record,Mother,Twenty-week scan; normal.,None,Routine care continued,Sonographer 1,
24/06/2024,11:15,Antenatal clinic record,Mother,Social worker told the midwife the brothers were on child protection plans for neglect.,Referral to the safeguarding midwife,Pre-birth planning meeting arranged,Community Midwife 1,
31/08/2024,04:20,Labour ward record,Child H24; Mother,Child H24 born at term; well.,Safer sleep leaflet given,Child protection plan noted,Midwife 2,Safer sleep advice did not mention alcohol.
02/09/2024,12:00,Postnatal ward record,Child H24; Mother; Father,Discharge home.,Discharge letter to the GP and health visitor,Community midwife visits booked,Midwife 3,
20/10/2024,07:05,Emergency department record,Child H24; Mother; Father,Child H24 brought in by ambulance in cardiac arrest.,Resuscitation; stopped at 07:41,Joint agency response started with the police,Consultant paediatrician 1,
CSV
cat > "$INCOMING/h24-bhft.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
12/03/2024,10:00,Health visiting record,Sibling 2; Mother,Two-year review for Sibling 2 at home; speech delay noted.,Referral to speech and language therapy,Follow-up visit booked,Health Visitor 1,Mother's pregnancy not yet known to health visiting.
20/05/2024,13:30,Health visiting record,Sibling 2; Mother,Follow-up visit; the house untidy and little food in the fridge.,Advice given,Early help discussed,Health Visitor 1,
25/07/2024,11:00,Health visiting record,Mother,Antenatal contact; safer sleep discussed; Moses basket bought.,Advice given,Added to the core group,Health Visitor 1,Alcohol not discussed with safer sleep.
12/09/2024,10:30,Health visiting record,Child H24; Mother,New birth visit; Child H24 well; safer sleep discussed; Moses basket seen in the bedroom.,Advice given,Six-week review booked,Health Visitor 1,Mother not asked about her drinking since the birth.
14/10/2024,14:00,Health visiting record,Child H24; Mother,Six-week review; Mother tired; said Child H24 slept in the Moses basket.,Advice given,Next review at three months,Health Visitor 1,Six days before Child H24 died.
CSV
cat > "$INCOMING/h24-bffc.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
02/04/2024,09:30,Police notification (domestic abuse),Mother; Father,Notification of the March call-out received at the front door.,Screened; letter to the parents,No further action,Social Worker 2,Mother's drinking not explored.
05/06/2024,11:00,Strategy discussion,Sibling 1; Sibling 2; Mother,Strategy discussion after the June call-out.,Section 47 enquiry,Initial child protection conference requested,Team Manager 1,
20/06/2024,10:00,Initial child protection conference,Sibling 1; Sibling 2; Mother; Father,Brothers made subject of child protection plans for neglect; pre-birth assessment agreed.,Plan made,Core group set up,Child Protection Chair 1,The GP did not send a report or attend.
15/08/2024,14:00,Core group meeting,Mother; Father,Pre-birth assessment concluded: the baby to be added to the plan at birth; a safe sleeping plan agreed.,Plan updated,Safe sleeping plan in the plan,Social Worker 1,The plan did not say what to do if Mother drank.
10/09/2024,15:30,Home visit,Child H24; Mother; Father,Statutory visit; Moses basket seen; the parents said Child H24 slept there.,Plan reviewed,No concerns recorded,Social Worker 1,
08/10/2024,10:00,Core group meeting,Mother; Father,Core group; the parents said things were going well; Mother said she was not drinking.,Plan continued,Review conference booked for December,Social Worker 1,The GP was not invited to the core group.
20/10/2024,09:15,Joint agency response,Child H24; Sibling 1; Sibling 2,Told of Child H24's death; the brothers placed with the maternal grandmother.,Strategy discussion for the brothers,Safety plan,Team Manager 1,
CSV
cat > "$INCOMING/h24-bob-icb.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
26/02/2024,09:10,GP record,Mother,Pregnancy confirmed; Mother anxious.,Referred to maternity,Booking arranged,GP 1,
09/05/2024,16:40,GP record,Mother,Low mood in pregnancy.,Talking therapies suggested,Review in a month,GP 1,Alcohol not asked about.
30/07/2024,11:20,GP record,Mother,Request for a report for the child protection conference (received late).,Report not sent,Coded as actioned,Practice administrator 1,The GP's knowledge of Mother's mood was not shared with the conference.
27/09/2024,10:00,GP record,Child H24; Mother,Child H24's eight-week check and immunisations.,Immunised,Well baby,GP 2,
17/10/2024,15:30,GP record,Mother,Mother's postnatal check: said she drank wine most evenings 'to get to sleep' since the birth.,Advice on alcohol; leaflet,No referral; not shared with the health visitor or social worker,GP 2,Three days before Child H24 died; the GP did not know the plan covered alcohol.
CSV
for agency in $H24_AGENCIES; do
    w chronology import "$H24" --agency "$agency" "$INCOMING/h24-$agency.csv"
    w review agency-report "$H24" --agency "$agency" --chronology-received 2025-01-08
done
w chronology merge "$H24" --pseudonymised
w chronology reviewed "$H24" --on 2025-01-08

# The agency reports come in, each signed off by the agency's designated senior manager
on 2025-02-12
for report in tvp:2025-02-10:2025-02-07 rbft:2025-02-11:2025-02-10 bhft:2025-02-12:2025-02-11 \
              bffc:2025-02-12:2025-02-12 bob-icb:2025-02-12:2025-02-11; do
    IFS=: read -r agency received signed <<<"$report"
    w review agency-report "$H24" --agency "$agency" --received "$received" --signed-off "$signed" \
        --signed-off-by "Designated senior manager"
done
on 2025-02-14
for agency in $H24_AGENCIES; do
    w review agency-report "$H24" --agency "$agency" --quality-assured 2025-02-14
done
on 2025-02-17
w advance "$H24"
check "$H24" analysis

# ===================================================================================================
# WBCR-2025-001, Child K25 (West Berkshire). Sunday 2 March 2025: a two-year-old is taken by
# ambulance to hospital drowsy and with slowed breathing, and needs intensive care. The toxicology on
# Friday 7 March finds methadone, prescribed to Mother's partner. Neglect is then suspected, and the
# notification to the Panel goes a day late.
# ===================================================================================================
on 2025-03-03
cat > "$INCOMING/k25-referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2025-03-03
became_aware: 2025-03-03
lead_lscb: west-berkshire
intake: review_referral
route: agency
referrer:
  name: Priya Raman
  agency: wbc-cs
  role: Service Manager, Contact and Assessment
  email: priya.raman@westberks.example.org
  phone: 0118 496 0384
  date: 2025-03-03
dsl_consulted: {consulted: true, name: Owen Fairley, role: Head of Children and Family Services, agency: wbc-cs}
subjects: [child-k25]
criteria:
  must_notify: [serious_harm_concern, life_threatening_injury]
incident:
  date: 2025-03-02
  description: >-
    Child K25, aged two, was found by Mother drowsy and difficult to wake on the afternoon of Sunday
    2 March 2025. South Central Ambulance Service took Child K25 to the Royal Berkshire Hospital with
    slowed breathing; Child K25 was given naloxone and transferred to a paediatric intensive care unit
    in Oxford. The toxicology result on Friday 7 March 2025 found methadone.
summary: >-
  Mother's partner is prescribed methadone and kept his take-home doses in a kitchen cupboard. The
  family were known to the health visitor and, through the partner, to the Probation Service and the
  substance misuse service; they were not open to children's social care. Child K25 recovered and went
  home to the maternal grandparents under a safety plan on 7 March 2025.
key_dates:
  - {date: 2025-03-02, event: Child K25 admitted}
  - {date: 2025-03-07, event: Toxicology result confirms methadone; Child K25 discharged to the grandparents}
immediate_actions: >-
  Strategy discussion on 3 March 2025 and again on 7 March 2025; section 47 enquiry; Mother's partner
  to live elsewhere; safe storage advice from the substance misuse service.
other_children_at_risk: false
parallel_processes: {police_investigation: true}
agencies_involved:
  - {agency: wbc-cs, still_involved: true}
  - {agency: tvp, still_involved: true}
  - {agency: rbft, still_involved: false}
  - {agency: bhft, worker: Health Visitor 1, still_involved: true}
  - {agency: probation, worker: Probation Officer 1, still_involved: true}
  - {agency: scas, still_involved: false}
records_secured: true
people:
  - {id: child-k25, pseudonym: Child K25, role: subject, relationship: Subject child, name: Mia Rose Tilbury,
     date_of_birth: 2022-11-24, gender: Female, address: "3 Ashgrove Close, Thatcham", postcode: RG19 9ZX,
     child_protection_plan: never, open_to_social_care: false}
  - {id: mother, pseudonym: Mother, role: parent, relationship: Mother, name: Chelsea Tilbury}
  - {id: mothers-partner, pseudonym: Mother's partner, role: partner, relationship: Mother's partner (not Child K25's father),
     name: Liam Frost}
YAML
refer_from "$INCOMING/k25-referral.yaml"
K25=$REF
K25_AGENCIES="wbc-cs tvp rbft bhft probation scas"

# ---------------------------------------------------------------------------------------------------
on 2025-03-05
w review meeting "$H24" --kind practitioner_event --on 2025-03-05 \
    --note "Practitioners from the five agencies with the lead reviewer: what it was like to talk to the parents about alcohol"

# Child K25: the notification is made on the sixth working day, when the toxicology result has
# turned a possible accident into suspected neglect
on 2025-03-11
for body in national_panel ofsted safeguarding_partners; do
    w notify "$K25" --recipient "$body" --purpose serious_incident_notification \
        --note "Serious incident notification submitted on the Child Safeguarding Online Notification form"
done
for agency in $K25_AGENCIES; do
    w request "$K25" --agency "$agency" --sent 2025-03-11 --due 2025-03-18
done
w advance "$K25" --late-reason "The admission was first treated as an unexplained illness; neglect was suspected only when the toxicology result came on Friday 7 March 2025, and the duty manager notified on Tuesday 11 March, one working day late. The front door's checklist now asks whether a notification may be needed at the first strategy discussion."
check "$K25" rapid_review

on 2025-03-18
for agency in $K25_AGENCIES; do
    w request "$K25" --agency "$agency" --received 2025-03-18 --involved
done

on 2025-03-19
w review meeting "$H24" --kind panel --on 2025-03-19 --note "Review panel analysis of the merged chronology and the agency reports"
on 2025-03-24
w advance "$H24"
check "$H24" reporting

# Child K25's rapid review: agencies acted quickly and shared information; the learning about
# storage of opioid substitutes is known and already being acted on
on 2025-03-25
w crg meeting "$K25" --on 2025-03-25 "${PRESENT[@]}"
for member in "${RRG[@]}"; do
    w crg recommend "$K25" --member "$member" --recommendation no_review \
        --reason "Prompt, well-coordinated response; the learning about storing methadone safely is known and the substance misuse service has already changed its practice"
done
w crg conclude "$K25" --criteria-met --abuse-or-neglect suspected --outcome-for-child seriously_harmed \
    --no-concern-about-working-together --alternative-considered \
    --alternative-outcome "A single-agency review by the substance misuse service was considered; it has already reviewed its safe-storage checks with the partnership's help, so a review would add nothing" \
    --recommendation no_review --sent-to-chair 2025-03-25 \
    --rationale "A serious child safeguarding case (serious harm, neglect suspected), but the rapid review found good multi-agency practice once the incident was known, and the learning about safe storage of opioid substitute medicines in homes with young children is known nationally and already acted on locally" \
    --went-well "The ambulance crew and the emergency department recognised opioid toxicity quickly; the police, the Probation Service and children's services shared what they knew within a day" \
    --learning "Take-home doses of methadone were kept in a kitchen cupboard in a home with a toddler; safe storage was discussed at the start of treatment but not checked again" \
    --in-hand "The substance misuse service now checks safe storage and asks about children at every review of take-home doses; a partnership briefing on opioid substitutes and young children went out on 21 March 2025" \
    --no-national-review --national-review-reason "The risks of opioid substitute medicines to young children are known nationally"
w advance "$K25"
check "$K25" decision

on 2025-03-27
w decide "$K25" --decision no_review --by "$PARTNERS" \
    --rationale "No LCSPR: the learning is already known and being acted on (safe storage checks at every take-home dose review; a partnership briefing for practitioners on opioid substitutes and young children)"
on 2025-03-28
w notify "$K25" --recipient national_panel --purpose rapid_review_report \
    --note "Rapid review report with the partners' decision not to hold an LCSPR and the reasons, sent to the Panel secretariat"
w notify "$K25" --recipient notifier --purpose notifier_notice --name "Priya Raman"
for agency in $K25_AGENCIES; do
    w notify "$K25" --recipient "agency:$agency" --purpose outcome_letter
done

on 2025-04-14
w review milestone "$H24" --milestone overview_first_draft

# Child H24: the police ask that nothing is published before their charging decision, and the
# inquest is listed for July: the partners tell the Panel and the Secretary of State the review will
# not be completed in six months (due 8 May 2025)
on 2025-04-16
w review extension "$H24" --requested 2025-04-16 --new-date 2025-09-30 \
    --reason "The police investigation into Mother's care of Child H24 is open and the senior investigating officer asked that the report is not published before the charging decision; the inquest is listed for July 2025" \
    --letter-sent 2025-04-17
on 2025-04-17
for body in national_panel secretary_of_state; do
    w notify "$H24" --recipient "$body" --purpose extension_letter \
        --note "Letter giving the reasons for the delay and the new date, 30 September 2025"
done

# Child K25: the Panel agrees; the case closes
on 2025-04-24
w panel-response "$K25" --outcome agrees --on 2025-04-24 \
    --note "The Panel agrees that an LCSPR would not bring out new learning and welcomes the safe-storage work"
w advance "$K25"
check "$K25" closed

# Child H24: recommendations adopted, the report finalised and approved by the partners
on 2025-06-11
w plan recommendation "$H24" --id R1 --scope multi_agency --agency rbft --agency bhft --agency bob-icb --adopted 2025-06-11 \
    --text "Safer sleep advice from every health professional asks about alcohol and drugs and explains the added risk of sharing a bed after drinking"
w plan action "$H24" --recommendation R1 --id R1-A1 --lead-agency bhft --target 2026-01-31 \
    --lead-officer "Named Nurse for Safeguarding Children" \
    --action "Add an alcohol and drugs question to the health visiting safer sleep assessment at every contact to twelve months" \
    --measure "A record audit of 40 families shows the question asked and answered at every contact"
w plan action "$H24" --recommendation R1 --id R1-A2 --lead-agency rbft --target 2025-12-31 \
    --lead-officer "Named Midwife for Safeguarding" \
    --action "Complete the alcohol screening tool at booking and again at 28 weeks, and include alcohol in the safer sleep discussion before discharge" \
    --measure "Maternity dashboard: screening tool completed at booking for 95% of women"
w plan recommendation "$H24" --id R2 --scope multi_agency --agency bffc --agency bob-icb --adopted 2025-06-11 \
    --text "Child protection plans for a new baby include a safer sleep plan that says what will happen if a parent drinks or uses drugs, and the GP is part of the core group"
w plan action "$H24" --recommendation R2 --id R2-A1 --lead-agency bffc --target 2026-03-31 \
    --lead-officer "Head of Service, Children in Need and Child Protection" \
    --action "Add a safer sleep section to the child protection plan template and invite the GP to every core group for an unborn or new baby"
w plan recommendation "$H24" --id R3 --scope multi_agency --agency bob-icb --adopted 2025-06-11 \
    --text "The partnership runs a safer sleep campaign for parents and practitioners that covers alcohol and co-sleeping"
w plan action "$H24" --recommendation R3 --id R3-A1 --lead-agency bob-icb --target 2027-03-31 \
    --lead-officer "Designated Nurse for Safeguarding Children" \
    --action "Launch and evaluate a Berkshire West safer sleep campaign with the three local authorities, maternity and health visiting" \
    --measure "Evaluation: parents' recall of the alcohol message at the six-week review; no sudden infant death with co-sleeping after alcohol in the following year"
on 2025-06-25
w review milestone "$H24" --milestone overview_final
w review milestone "$H24" --milestone executive_summary
on 2025-06-30
w review milestone "$H24" --milestone panel_signed_off
on 2025-07-16
# the safeguarding partners approve the report (wbcr's approval milestone is lscb_approved) and plan to
# publish on Wednesday 17 September, after the inquest and the charging decision
w review milestone "$H24" --milestone lscb_approved
w review milestone "$H24" --milestone publication_planned --on 2025-09-17

# Copies to the Panel and the Secretary of State at least seven working days before publication
on 2025-09-02
for body in national_panel secretary_of_state; do
    w notify "$H24" --recipient "$body" --purpose pre_publication_copy \
        --note "Final report and the partners' response, with the planned publication date of 17 September 2025"
done
w advance "$H24"
check "$H24" publication
on 2025-09-10
w review milestone "$H24" --milestone shared_with_family --on 2025-09-10
w review family "$H24" --contact-on 2025-09-10 --person mother --method "home visit" \
    --note "The lead reviewer and the business manager shared the report with Mother before publication"

# ===================================================================================================
# WBCR-2025-002, Child W25. A contribution to another partnership's LCSPR: the (fictional) Westmarch
# Safeguarding Children Partnership reviews the serious harm of a nine-year-old who lived in Thatcham
# until August 2024, and asks West Berkshire's agencies for chronologies and reports.
# ===================================================================================================
on 2025-09-15
cat > "$INCOMING/w25-request.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2025-09-15
became_aware: 2025-05-22
lead_lscb: west-berkshire
intake: out_of_area
route: other_lscb
referrer:
  name: Rhiannon Keel
  role: Business Manager, Westmarch Safeguarding Children Partnership
  email: rhiannon.keel@westmarch-scp.example.org
  date: 2025-09-12
subjects: [child-w25]
criteria:
  must_notify: [serious_harm_concern]
incident:
  date: 2025-05-19
  description: >-
    Child W25, aged nine, was admitted to hospital in Westmarch malnourished and with untreated
    injuries. Westmarch children's services told West Berkshire's front door on 22 May 2025 and asked
    for the family's history.
summary: >-
  The Westmarch safeguarding partners decided on an LCSPR after Child W25 was seriously harmed in May
  2025. The family lived in Thatcham until August 2024, when Child W25 was on a child in need plan in
  West Berkshire and was taken out of school to be educated at home. Westmarch asks West Berkshire's
  children's services, Berkshire Healthcare (school nursing) and Thames Valley Police for chronologies
  and agency reports covering September 2023 to August 2024, and how the move was handed over.
parallel_processes: {police_investigation: true, criminal_proceedings: true}
agencies_involved:
  - {agency: wbc-cs, still_involved: false}
  - {agency: bhft, still_involved: false}
  - {agency: tvp, still_involved: false}
records_secured: true
out_of_area:
  requesting_board: Westmarch Safeguarding Children Partnership
  review_title: Local child safeguarding practice review – Child W
  contact:
    name: Rhiannon Keel
    role: Business Manager, Westmarch Safeguarding Children Partnership
    email: rhiannon.keel@westmarch-scp.example.org
    phone: 01632 960 417
  scope: {from: 2023-09-01, to: 2024-08-31}
  due: 2025-11-21
people:
  - {id: child-w25, pseudonym: Child W25, role: subject, relationship: Subject child, name: Ellis Jordan Marsh-Vane,
     date_of_birth: 2016-01-08, gender: Male, open_to_social_care: false}
  - {id: mother, pseudonym: Mother, role: parent, relationship: Mother, name: Kirsty Marsh-Vane}
  - {id: father, pseudonym: Father, role: parent, relationship: Father, name: Darren Vane}
YAML
refer_from "$INCOMING/w25-request.yaml"
W25=$REF
W25_AGENCIES="wbc-cs bhft tvp"
check "$W25" request_received

on 2025-09-17
w review milestone "$H24" --milestone published --mode full
w advance "$H24"
check "$H24" action_monitoring
for agency in $W25_AGENCIES; do
    w review agency-report "$W25" --agency "$agency" --requested 2025-09-17 --chronology-due 2025-10-15 \
        --due 2025-10-31
    w notify "$W25" --recipient "agency:$agency" --purpose agency_report_request \
        --note "Westmarch's terms of reference, the chronology and agency report templates, and the dates"
done
w advance "$W25"
check "$W25" agency_reports_requested

on 2025-10-15
cat > "$INCOMING/w25-wbc-cs.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
14/09/2023,10:00,Contact record,Child W25; Mother,School referral: Child W25 often hungry and in dirty clothes.,Child and family assessment,Child in need plan,Social Worker 1,
02/11/2023,14:00,Child in need review,Child W25; Mother,Child in need review at school.,Plan continued,Attendance 82%,Social Worker 1,Father's return to the household not known.
25/01/2024,11:00,Child in need review,Child W25; Mother; Father,Review; Father back in the household.,Plan continued,Father's history not checked,Social Worker 1,Father's previous convictions for violence not checked.
18/04/2024,10:30,Child in need review,Mother,Review; Mother said she would educate Child W25 at home.,Elective home education noted,Plan continued,Social Worker 2,The change of social worker was not handed over in person.
20/06/2024,15:00,Case note,Mother,Mother said the family would move to Westmarch.,Transfer-in request drafted,Not sent before the family moved,Social Worker 2,
29/08/2024,09:00,Case closure,Child W25,Case closed after the family moved.,Closure letter to Mother,No transfer to Westmarch children's services,Team Manager 1,Westmarch not told of the child in need plan.
CSV
cat > "$INCOMING/w25-bhft.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
21/09/2023,13:00,School nursing record,Child W25,Told of the school's referral; weight below the 2nd centile.,Health assessment offered,Appointment sent,School Nurse 1,
09/11/2023,10:00,School nursing record,Child W25; Mother,Health assessment at school; weight static.,Referral to the paediatric dietitian,Appointment made,School Nurse 1,
30/01/2024,11:30,School nursing record,Child W25,Dietitian appointment not attended.,Letter to Mother,No reply,School Nurse 1,The missed appointment was not shared with the social worker.
22/04/2024,09:45,School nursing record,Child W25,Told by the school that Child W25 was now educated at home.,Removed from the school nursing caseload,Closed,School Nurse 1,Child W25 not seen again by a health professional in Berkshire.
CSV
cat > "$INCOMING/w25-tvp.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
12/10/2023,22:15,Command and control log,Mother; Father,Report of an argument in the street outside the house.,Words of advice,No notification to children's social care,PC 1,Father's previous convictions not checked at the scene.
08/01/2024,20:40,Command and control log,Mother; Father,Neighbour heard a child crying and shouting.,Officers attended,Child W25 seen asleep; notification to children's social care,PC 2,
28/03/2024,23:05,Command and control log,Mother; Father,Domestic incident; Mother with a cut lip.,Father arrested,No further action; notification to children's social care,DS 1,
14/06/2024,18:30,Command and control log,Mother,Mother reported Father had left the home.,Advice,Closed,Call handler 1,
CSV
for agency in $W25_AGENCIES; do
    w chronology import "$W25" --agency "$agency" "$INCOMING/w25-$agency.csv"
    w review agency-report "$W25" --agency "$agency" --chronology-received 2025-10-15
done
w chronology merge "$W25" --pseudonymised

on 2025-10-31
for agency in $W25_AGENCIES; do
    w review agency-report "$W25" --agency "$agency" --received 2025-10-31 --signed-off 2025-10-30 \
        --signed-off-by "Designated senior manager"
done
on 2025-11-03
w advance "$W25"
check "$W25" quality_assurance
on 2025-11-10
for agency in $W25_AGENCIES; do
    w review agency-report "$W25" --agency "$agency" --quality-assured 2025-11-10
done
on 2025-11-14
w notify "$W25" --recipient requesting_board --purpose agency_reports --method secure_email --name "Rhiannon Keel" \
    --note "The three quality-assured agency reports and chronologies, sent to Westmarch a week before the due date"
w advance "$W25"
check "$W25" submitted
on 2025-11-17
w advance "$W25" --note "The partnership follows the Westmarch review to publication and any recommendation for Berkshire West agencies"
check "$W25" monitoring

# Child H24: the action plan, rated at each meeting of the partnership's learning and improvement
# sub-group
on 2025-12-10
w plan rag "$H24" --action R1-A1 --rag GREEN --note "Assessment question drafted; training for health visitors booked for January"
w plan rag "$H24" --action R1-A2 --rag GREEN --note "Screening tool now required at booking on the maternity system"
w plan rag "$H24" --action R2-A1 --rag AMBER --note "Template change waiting for the case management system release in March"
w plan rag "$H24" --action R3-A1 --rag AMBER --note "Campaign materials drafted; funding agreed by the ICB but the launch is not yet scheduled"
on 2025-12-15
w plan sign-off "$H24" --action R1-A2 --by "Chair of the Learning and Improvement Sub-group" \
    --evidence "Maternity dashboard for November 2025: screening tool completed at booking for 97% of women and at 28 weeks for 91%"
on 2026-01-28
w plan sign-off "$H24" --action R1-A1 --by "Chair of the Learning and Improvement Sub-group" \
    --evidence "Question live from 12 January 2026; audit of 40 families: asked and answered at every contact"
on 2026-03-24
w plan sign-off "$H24" --action R2-A1 --by "Chair of the Learning and Improvement Sub-group" \
    --evidence "New plan template live from 9 March 2026; the GP invited to all four core groups for a new baby since"
w plan rag "$H24" --action R3-A1 --rag GREEN --note "Campaign launched in Safer Sleep Week, 10 March 2026; evaluation planned for early 2027"

# ===================================================================================================
# WBCR-2026-001, Child T26 (Wokingham). Saturday 9 May 2026: a twelve-year-old with type 1 diabetes is
# admitted in diabetic ketoacidosis after missing five of six clinic appointments in a year. Medical
# neglect is known; the learning turns out to sit with the hospital's diabetes service.
# ===================================================================================================
on 2026-05-11
cat > "$INCOMING/t26-referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2026-05-11
became_aware: 2026-05-11
lead_lscb: wokingham
intake: review_referral
route: agency
referrer:
  name: Laura Pennington
  agency: rbft
  role: Named Nurse for Safeguarding Children
  email: laura.pennington@rbft.example.org
  phone: 0118 496 0519
  date: 2026-05-11
dsl_consulted: {consulted: true, name: Mark Oduya, role: Head of Safeguarding, agency: rbft}
subjects: [child-t26]
criteria:
  must_notify: [serious_harm_concern, life_threatening_injury]
  wider: [risk_not_shared]
incident:
  date: 2026-05-09
  description: >-
    Child T26, aged twelve, was brought to the Royal Berkshire Hospital by ambulance on Saturday 9 May
    2026 in severe diabetic ketoacidosis and needed intensive care. Mother said she had not been able
    to make Child T26 take insulin for several weeks.
summary: >-
  Child T26 has had type 1 diabetes since the age of eight. Since May 2025 Child T26 was not brought to
  five of six paediatric diabetes clinic appointments; the service sent letters and discharged Child
  T26 back to the GP in April 2026 without telling the GP why or contacting anyone else. Mother has
  depression and was struggling to supervise insulin. Wokingham's children's services did not know the
  family.
key_dates:
  - {date: 2025-05-13, event: Last clinic appointment attended}
  - {date: 2026-04-28, event: Discharged from the diabetes clinic after repeated missed appointments}
immediate_actions: >-
  Strategy discussion on 11 May 2026; section 47 enquiry; Child T26 to stay with an aunt on discharge
  while an assessment is made.
other_children_at_risk: false
agencies_involved:
  - {agency: rbft, still_involved: true}
  - {agency: bhft, worker: School Nurse 1, still_involved: true}
  - {agency: wokingham-cs, still_involved: true}
  - {agency: bob-icb, worker: GP 1 (through the Designated Nurse), still_involved: true}
  - {agency: tvp, still_involved: false}
records_secured: true
people:
  - {id: child-t26, pseudonym: Child T26, role: subject, relationship: Subject child, name: Jasmine Adeyemi-Clarke,
     date_of_birth: 2013-10-02, gender: Female, address: "27 Heron Mead, Wokingham", postcode: RG40 9ZX,
     child_protection_plan: never, open_to_social_care: false}
  - {id: mother, pseudonym: Mother, role: parent, relationship: Mother, name: Grace Adeyemi-Clarke}
  - {id: aunt, pseudonym: Aunt, role: relative, relationship: Maternal aunt, name: Funmi Adeyemi}
YAML
refer_from "$INCOMING/t26-referral.yaml"
T26=$REF
T26_AGENCIES="rbft bhft wokingham-cs bob-icb tvp"

on 2026-05-12
for agency in $T26_AGENCIES; do
    w request "$T26" --agency "$agency" --sent 2026-05-12 --due 2026-05-19
done
on 2026-05-13
for body in national_panel ofsted safeguarding_partners; do
    w notify "$T26" --recipient "$body" --purpose serious_incident_notification \
        --note "Serious incident notification submitted on the Child Safeguarding Online Notification form"
done
w advance "$T26"
check "$T26" rapid_review
on 2026-05-19
for agency in rbft bhft wokingham-cs bob-icb; do
    w request "$T26" --agency "$agency" --received 2026-05-19 --involved
done
w request "$T26" --agency tvp --received 2026-05-19 --not-involved

on 2026-05-27
w crg meeting "$T26" --on 2026-05-27 "${PRESENT[@]}"
for member in "${RRG[@]}"; do
    w crg recommend "$T26" --member "$member" --recommendation single_agency_review \
        --reason "The missed appointments were known only to the hospital's diabetes service; the other agencies had nothing to act on"
done
w crg conclude "$T26" --criteria-met --abuse-or-neglect known --outcome-for-child seriously_harmed \
    --no-concern-about-working-together --alternative-considered \
    --alternative-outcome "A single-agency learning review by the Royal Berkshire NHS Foundation Trust of how its paediatric diabetes service responds when a child is not brought" \
    --recommendation single_agency_review --sent-to-chair 2026-05-27 \
    --rationale "A serious child safeguarding case (life-threatening harm, medical neglect known). The rapid review found that the learning lies with one agency: the diabetes service did not follow the trust's was-not-brought policy or tell the GP, school nurse or children's services. An LCSPR would not add to a review by the trust." \
    --went-well "The emergency department recognised medical neglect at once and referred to children's services on the next working day" \
    --learning "The diabetes service sent letters after each missed appointment but did not tell the GP, the school nurse or children's services, and discharged Child T26 without saying why" \
    --in-hand "The trust's safeguarding team has reminded the children's outpatient services of the was-not-brought policy" \
    --no-national-review --national-review-reason "The learning is for one service in one trust"
w advance "$T26"
check "$T26" decision
on 2026-05-29
w decide "$T26" --decision single_agency_review --by "$PARTNERS" \
    --rationale "No LCSPR: the hospital trust reviews its diabetes service's response to children who are not brought, through a patient safety incident investigation, and shares its findings and action plan with the partnership"
on 2026-06-01
w notify "$T26" --recipient national_panel --purpose rapid_review_report \
    --note "Rapid review report with the partners' decision (single-agency learning review by the hospital trust), sent to the Panel secretariat"
w notify "$T26" --recipient notifier --purpose notifier_notice --name "Laura Pennington"
for agency in $T26_AGENCIES; do
    w notify "$T26" --recipient "agency:$agency" --purpose outcome_letter
done
w advance "$T26"
check "$T26" commissioned
on 2026-06-08
w review terms "$T26" --scope-from 2025-05-01 --scope-to 2026-05-11 --methodology agency_method \
    --line "How the paediatric diabetes service responded to each appointment Child T26 was not brought to" \
    --line "Why the discharge to the GP did not say that the family had disengaged" \
    --line "How the service recognises and acts on possible medical neglect" \
    --family-reference "The child is Child T26 and her mother Mother; staff are referred to by their role" --approved 2026-06-08
w review agency-report "$T26" --agency rbft --requested 2026-06-08 --chronology-due 2026-07-06 --due 2026-09-14
w notify "$T26" --recipient agency:rbft --purpose initiation_letter
on 2026-06-22
w review agency-report "$T26" --agency rbft --author "Dr Sophie Leclerc" \
    --author-role "Patient Safety Specialist (no part in Child T26's care)"
w advance "$T26" --note "Patient safety incident investigation by the trust's patient safety team; report due 14 September 2026"
check "$T26" agency_review
on 2026-06-25
w panel-response "$T26" --outcome agrees --on 2026-06-25 \
    --note "The Panel agrees that a single-agency review is proportionate and asks to hear the trust's learning on children who are not brought"

on 2026-07-03
cat > "$INCOMING/t26-rbft.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
13/05/2025,14:20,Diabetes clinic record,Child T26; Mother,Clinic attended; HbA1c raised; Mother said Child T26 forgot doses at school.,Insulin plan revised; school plan sent,Review in three months,Paediatric diabetes nurse 1,The last appointment Child T26 attended.
12/08/2025,10:00,Diabetes clinic record,Child T26,Not brought.,Letter to Mother with a new date,No reply,Clinic administrator 1,Was-not-brought policy says to tell the GP and consider safeguarding; not done.
21/10/2025,09:30,Diabetes clinic record,Child T26,Not brought.,Second letter,No reply,Clinic administrator 1,
18/11/2025,16:00,Telephone record,Mother,Diabetes nurse phoned Mother; Mother said Child T26 was managing well.,New appointment offered,Appointment booked for January,Paediatric diabetes nurse 1,Mother's account not checked with the school or the GP.
20/01/2026,11:00,Diabetes clinic record,Child T26,Not brought.,Third letter,No reply,Clinic administrator 1,
17/03/2026,14:40,Diabetes clinic record,Child T26,Not brought.,Consultant reviewed the notes,Discharge to the GP agreed,Consultant paediatrician 1,Fourth missed appointment; safeguarding team not consulted.
28/04/2026,12:00,Discharge letter,Child T26,Discharged to the GP after repeated missed appointments.,Letter to the GP,The letter did not say the family had disengaged,Consultant paediatrician 1,
09/05/2026,21:10,Emergency department record,Child T26; Mother,Brought in by ambulance in severe diabetic ketoacidosis.,Admitted to intensive care; safeguarding referral,Referral to Wokingham children's services on 11 May,Paediatric registrar 1,
CSV
w chronology import "$T26" --agency rbft "$INCOMING/t26-rbft.csv"
w review agency-report "$T26" --agency rbft --chronology-received 2026-07-03

# ---------------------------------------------------------------------------------------------------
# Child W25: Westmarch publishes its LCSPR with one recommendation for West Berkshire's children's
# services, which the partnership monitors
on 2026-07-08
w plan recommendation "$W25" --id R1 --scope single_agency --agency wbc-cs --adopted 2026-07-08 \
    --text "When a family open to children's services moves out of area, the receiving authority is told before the case is closed, and a child taken out of school is seen alone first"
w plan action "$W25" --recommendation R1 --id R1-A1 --lead-agency wbc-cs --target 2027-02-26 \
    --lead-officer "Service Manager, Contact and Assessment" \
    --action "Add a transfer step and a see-the-child-alone step to the closure checklist, and audit closures on moving out of area" \
    --measure "An audit of ten closures on moving out of area shows the receiving authority told in every case"

on 2026-09-11
w review agency-report "$T26" --agency rbft --received 2026-09-11 --signed-off 2026-09-10 \
    --signed-off-by "Chief Nursing Officer"

# ===================================================================================================
# WBCR-2026-002, Child R26 (Reading). Friday 18 September 2026: a sixteen-year-old looked after by
# Reading, living in supported accommodation, is found dead in her room; suicide is suspected. No abuse
# or neglect is known. The out-of-hours service tells children's social care on Saturday 19 September:
# the notices to the Secretary of State and Ofsted run from that day. The local authority notifies the
# Panel as well, because whether the placement kept her safe could not yet be ruled out.
# The referral says the child died and was looked after, so `wbcr refer` flags the case and the two
# looked-after death notices are deadlines of their own.
# ===================================================================================================
on 2026-09-21
cat > "$INCOMING/r26-referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2026-09-21
became_aware: 2026-09-19
lead_lscb: reading
intake: review_referral
route: agency
referrer:
  name: Daniel Osei
  agency: bffc
  role: Head of Service, Children in Care
  email: daniel.osei@bffc.example.org
  phone: 0118 496 0677
  date: 2026-09-21
dsl_consulted: {consulted: true, name: Amira Shah, role: Principal Social Worker, agency: bffc}
subjects: [child-r26]
child_died: true
child_looked_after: true
criteria:
  must_notify: [suspected_suicide]
incident:
  date: 2026-09-18
  description: >-
    Child R26, aged sixteen, was found unresponsive in her room at her supported accommodation in
    Reading by a support worker at about 22:30 on Friday 18 September 2026. South Central Ambulance
    Service attended and she was pronounced dead at the scene. The police found nothing to suggest
    anyone else was involved; suicide is suspected.
summary: >-
  Child R26 had been looked after by Reading under section 20 since the age of fourteen and had lived
  in supported accommodation since June 2026, after a foster placement ended. She had self-harmed
  several times in the summer and was on the waiting list for CAMHS after an assessment in August.
  No abuse or neglect is known. Her death is notified to the Secretary of State and Ofsted as the
  death of a looked-after child, and to the Panel because whether the placement and the services
  around her kept her safe could not be ruled out at first.
key_dates:
  - {date: 2026-06-08, event: Moved to supported accommodation}
  - {date: 2026-08-11, event: CAMHS assessment after an attendance at the emergency department for self-harm}
  - {date: 2026-09-18, event: Child R26 died}
immediate_actions: >-
  Support for the other young people at the accommodation and for her former foster carers; the
  provider's risk assessments secured; Child R26's mother told by the social worker and the police.
other_children_at_risk: false
parallel_processes: {police_investigation: true, coroner: true}
agencies_involved:
  - {agency: bffc, worker: Social Worker 1, still_involved: false}
  - {agency: bhft, worker: CAMHS clinician 1, still_involved: false}
  - {agency: rbft, still_involved: false}
  - {agency: tvp, still_involved: true}
  - {agency: scas, still_involved: false}
records_secured: true
people:
  - {id: child-r26, pseudonym: Child R26, role: subject, relationship: Subject child, name: Leah Morgan Pryor,
     date_of_birth: 2010-04-16, date_of_death: 2026-09-18, gender: Female,
     legal_status: Looked after (section 20), child_protection_plan: previous, open_to_social_care: true}
  - {id: mother, pseudonym: Mother, role: parent, relationship: Mother, name: Joanne Pryor}
YAML
refer_from "$INCOMING/r26-referral.yaml"
R26=$REF
R26_AGENCIES="bffc bhft rbft tvp"

# The notices, due within five working days of Saturday 19 September (Friday 25 September)
on 2026-09-22
for body in secretary_of_state ofsted; do
    w notify "$R26" --recipient "$body" --purpose looked_after_death \
        --note "Notification of the death of a looked-after child"
done
for body in national_panel ofsted safeguarding_partners; do
    w notify "$R26" --recipient "$body" --purpose serious_incident_notification \
        --note "Serious incident notification submitted on the Child Safeguarding Online Notification form"
done
for agency in $R26_AGENCIES; do
    w request "$R26" --agency "$agency" --sent 2026-09-22 --due 2026-09-29
done
w advance "$R26"
check "$R26" rapid_review
on 2026-09-29
for agency in $R26_AGENCIES; do
    w request "$R26" --agency "$agency" --received 2026-09-29 --involved
done

on 2026-10-06
w crg meeting "$R26" --on 2026-10-06 "${PRESENT[@]}"
for member in "${RRG[@]}"; do
    w crg recommend "$R26" --member "$member" --recommendation multi_agency_audit \
        --reason "No abuse or neglect found; the learning about young people in supported accommodation who self-harm is wider than this case"
done
w crg conclude "$R26" --criteria-not-met --abuse-or-neglect not_known --outcome-for-child died \
    --concern-about-working-together --alternative-considered \
    --alternative-outcome "A multi-agency audit of the plans of looked-after 16- and 17-year-olds in supported accommodation who have self-harmed in the last year" \
    --recommendation multi_agency_audit --sent-to-chair 2026-10-06 \
    --rationale "The rapid review found no abuse or neglect, so the case is not a serious child safeguarding case; the death is reviewed through the child death review process and the inquest. The questions about risk assessment in supported accommodation and waiting times for CAMHS apply to other young people and are best answered by a multi-agency audit." \
    --went-well "The out-of-hours service, the police and children's social care supported the other young people at the accommodation and Child R26's family from the first night" \
    --learning "Child R26's self-harm risk assessment was not shared with the supported accommodation provider; she waited six weeks for CAMHS after her assessment with no plan for the meantime" \
    --in-hand "Children's social care now sends the risk assessment with every referral to supported accommodation" \
    --no-national-review --national-review-reason "No abuse or neglect is known; the death is reviewed by the child death review partners"
w advance "$R26"
check "$R26" decision
on 2026-10-08
w decide "$R26" --decision multi_agency_audit --by "$PARTNERS" \
    --rationale "No LCSPR; a multi-agency audit of looked-after 16- and 17-year-olds in supported accommodation who self-harm, reporting to the Learning and Improvement Sub-group; the child death review will consider Child R26's death"
on 2026-10-09
w notify "$R26" --recipient national_panel --purpose rapid_review_report \
    --note "Rapid review report with the partners' decision (no LCSPR; a multi-agency audit), sent to the Panel secretariat"
w notify "$R26" --recipient notifier --purpose notifier_notice --name "Daniel Osei"
for agency in $R26_AGENCIES; do
    w notify "$R26" --recipient "agency:$agency" --purpose outcome_letter
done
on 2026-10-12
# The audit is commissioned; the Learning and Improvement Sub-group agrees its tool and sample in
# December, when the terms and the agencies' returns are recorded (`wbcr review terms`, `review
# agency-report`)
w advance "$R26" --note "Multi-agency audit commissioned from the Learning and Improvement Sub-group; audit tool and sample to be agreed at its meeting on 9 December 2026"
check "$R26" commissioned

# Child T26: the trust presents its findings to the partnership
on 2026-10-14
w review meeting "$T26" --kind other --on 2026-10-14 \
    --note "The trust presented its patient safety incident investigation to the partnership's Learning and Improvement Sub-group"
w review agency-report "$T26" --agency rbft --quality-assured 2026-10-14
w advance "$T26" --note "Findings shared with the Learning and Improvement Sub-group on 14 October 2026; the trust to bring its action plan to the November meeting"
check "$T26" findings_shared

on 2026-11-05
w panel-response "$R26" --outcome agrees --on 2026-11-05 \
    --note "The Panel agrees with the partners' decision and asks to see the audit's findings"

# Child T26: the sub-group agrees the trust's action plan, which it now monitors
on 2026-11-11
w plan recommendation "$T26" --id R1 --scope single_agency --agency rbft --adopted 2026-11-11 \
    --text "Every children's outpatient service follows the trust's was-not-brought policy: after a second missed appointment the clinician tells the GP, checks with the school nurse or health visitor, and considers a safeguarding referral"
w plan action "$T26" --recommendation R1 --id R1-A1 --lead-agency rbft --target 2027-01-29 \
    --lead-officer "Named Nurse for Safeguarding Children" \
    --action "Re-launch the was-not-brought policy in the children's outpatient services, with a prompt in the outpatient system after a second missed appointment" \
    --measure "Quarterly audit: a was-not-brought response recorded for 90% of second missed appointments"
w plan recommendation "$T26" --id R2 --scope single_agency --agency rbft --adopted 2026-11-11 \
    --text "No child with a long-term condition is discharged for not being brought without a discussion with the safeguarding team and a letter to the GP that says why"
w plan action "$T26" --recommendation R2 --id R2-A1 --lead-agency rbft --target 2026-12-18 \
    --lead-officer "Clinical Director, Children's Services" \
    --action "Add a safeguarding check and a reason for discharge to the outpatient discharge-for-non-attendance procedure and letter template"
w plan action "$T26" --recommendation R2 --id R2-A2 --lead-agency rbft --target 2027-03-31 \
    --lead-officer "Lead Nurse, Paediatric Diabetes" \
    --action "Review every child discharged from the diabetes clinic for non-attendance in the last two years with the safeguarding team" \
    --measure "Every child reviewed; referrals made where needed"
w advance "$T26" --note "The trust's action plan agreed by the Learning and Improvement Sub-group on 11 November 2026"
check "$T26" action_monitoring

# ===================================================================================================
# WBCR-2026-003, Child M26 (Wokingham). Thursday 12 November 2026: a ten-week-old baby is brought to
# hospital with bruising to the ear and a torn frenulum; the skeletal survey finds fractures. The
# hospital's referral reaches children's services on Friday 13 November. On 26 November 2026 the rapid
# review is being prepared: its report is due with the Panel on 9 December 2026.
# ===================================================================================================
on 2026-11-16
cat > "$INCOMING/m26-referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2026-11-16
became_aware: 2026-11-13
lead_lscb: wokingham
intake: review_referral
route: agency
referrer:
  name: Claire Whitlock
  agency: wokingham-cs
  role: Team Manager, Assessment and Intervention
  email: claire.whitlock@wokingham.example.org
  phone: 0118 496 0842
  date: 2026-11-16
dsl_consulted: {consulted: true, name: Sanjay Mehta, role: "Head of Service, Children's Social Care", agency: wokingham-cs}
subjects: [child-m26]
criteria:
  must_notify: [serious_harm_concern]
  wider: [risk_not_recognised]
incident:
  date: 2026-11-12
  description: >-
    Child M26, aged ten weeks, was brought to the Royal Berkshire Hospital emergency department on the
    evening of Thursday 12 November 2026 with bruising to the left ear and a torn frenulum. A skeletal
    survey the next day found two metaphyseal fractures. The parents gave no explanation.
summary: >-
  Abuse is suspected. Child M26 is the parents' first child; the family moved to Wokingham from
  London in September 2026 and the health records followed late. The GP saw Child M26 at eight weeks
  with a small bruise on the arm that Father said came from a car seat strap.
key_dates:
  - {date: 2026-09-03, event: Child M26 born in London}
  - {date: 2026-10-29, event: Eight-week check at the GP}
  - {date: 2026-11-12, event: Emergency department attendance}
immediate_actions: >-
  Strategy discussion on 13 November 2026; section 47 enquiry; Child M26 to foster care on discharge
  under an interim care order; the parents' contact supervised.
other_children_at_risk: false
parallel_processes: {police_investigation: true, criminal_proceedings: true}
agencies_involved:
  - {agency: wokingham-cs, still_involved: true}
  - {agency: tvp, still_involved: true}
  - {agency: rbft, still_involved: true}
  - {agency: bhft, worker: Health Visitor 1, still_involved: true}
  - {agency: bob-icb, worker: GP 1 (through the Designated Nurse), still_involved: true}
records_secured: true
people:
  - {id: child-m26, pseudonym: Child M26, role: subject, relationship: Subject child, name: Oscar James Whitcombe,
     date_of_birth: 2026-09-03, gender: Male, address: "8 Millbrook Lane, Wokingham", postcode: RG41 9ZX,
     child_protection_plan: never, open_to_social_care: true}
  - {id: mother, pseudonym: Mother, role: parent, relationship: Mother, name: Abigail Whitcombe}
  - {id: father, pseudonym: Father, role: parent, relationship: Father, name: Thomas Whitcombe}
YAML
refer_from "$INCOMING/m26-referral.yaml"
M26=$REF
M26_AGENCIES="wokingham-cs tvp rbft bhft bob-icb"

on 2026-11-17
for agency in $M26_AGENCIES; do
    w request "$M26" --agency "$agency" --sent 2026-11-17 --due 2026-11-24
done
# notified within five working days of Friday 13 November (due 20 November)
on 2026-11-18
for body in national_panel ofsted safeguarding_partners; do
    w notify "$M26" --recipient "$body" --purpose serious_incident_notification \
        --note "Serious incident notification submitted on the Child Safeguarding Online Notification form"
done
w advance "$M26"
check "$M26" rapid_review

# The latest ratings of the action plans being monitored
on 2026-11-20
w plan rag "$H24" --action R3-A1 --rag GREEN --note "Campaign evaluation commissioned from the public health team; report due February 2027"
w plan rag "$W25" --action R1-A1 --rag GREEN --note "Checklist revised; first audit of closures on moving out of area booked for January 2027"

on 2026-11-24
for agency in wokingham-cs tvp rbft bhft bob-icb; do
    w request "$M26" --agency "$agency" --received 2026-11-24 --involved
done

# Thursday 26 November 2026: where the register stands. The records are opened in the work tree
# (`wbcr unseal`) while the key is here: the example is shipped without its board key, readable.
on 2026-11-26
w unseal --all
# Shipped as the 2015 example is: readable records under the DEMO key's fingerprint, no sealing filter
sed -i -e '/^  key_fingerprint:/c\  # The DEMO key of this fictional register is examples/DEMO-board-key.txt, as for the 2015 example\n  # (never do this with a real key):  export WBCR_BOARD_KEY=$(cat examples/DEMO-board-key.txt)\n  # Its records are shipped readable: a real register seals them (`seal_records: true`, `wbcr seal`).\n  key_fingerprint: 9dab3a1ee882ce1a' \
    -e '/^  seal_records: true$/d' "$REGISTER/wbcr.yaml"
rm -f "$REGISTER/.gitattributes"
w status
w deadlines
w next "$M26"
w validate --strict
