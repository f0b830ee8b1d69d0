#!/usr/bin/env bash
# Working Together 2015: a contribution to a review commissioned by another area, from the request to
# closed (guidance, section 5, "Contributing to SCRs out of area").
#
# Child E (fictional), aged 7, lived in Reading until the family moved away; a year later she was
# seriously injured, and the (fictional) Westmarch LSCB commissioned a Serious Case Review. Westmarch
# asks for chronologies and agency reports from the Berkshire agencies that knew the family. The LSCB
# business office asks each agency, imports the chronologies, collects the reports signed off by each
# agency, the CRG quality-assures them, the business office sends them to Westmarch before its
# deadline, and the CRG monitors the review until the recommendation it makes for Berkshire agencies
# has been carried out and signed off.
#
#   bash examples/walkthroughs/wt2015-out-of-area.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

on 2027-04-06
w init "$REGISTER" --procedure wt2015
cat > "$INCOMING/request.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-04-06
lead_lscb: reading
intake: out_of_area
route: other_lscb
referrer:
  name: Elowen Invented-Manager
  role: Business Manager, Westmarch Local Safeguarding Children Board
  email: elowen.invented-manager@westmarch-lscb.example.org
  date: 2027-04-02
subjects: [child-e]
criteria:
  must_notify: [serious_harm_concern]
incident:
  date: 2027-01-19
  description: >-
    Child E, aged 7, was admitted to hospital in Westmarch with fractures that the explanations given
    did not fit.
summary: >-
  Westmarch LSCB has commissioned a Serious Case Review after Child E was seriously injured in January
  2027. The family lived in Reading until February 2026. Westmarch asks Reading children's social care,
  the Royal Berkshire Hospital and Berkshire Healthcare (school nursing) for chronologies and agency
  reports covering March 2024 to February 2026, and in particular how the move was handed over.
parallel_processes: {police_investigation: true, criminal_proceedings: true}
agencies_involved:
  - {agency: bffc, still_involved: false}
  - {agency: rbft, still_involved: false}
  - {agency: bhft, still_involved: false}
records_secured: true
out_of_area:
  requesting_board: Westmarch Local Safeguarding Children Board
  review_title: Serious Case Review – Child E
  contact:
    name: Elowen Invented-Manager
    role: Business Manager, Westmarch Local Safeguarding Children Board
    email: elowen.invented-manager@westmarch-lscb.example.org
    phone: 01632 960 417
  scope: {from: 2024-03-01, to: 2026-02-28}
  due: 2027-07-02
people:
  - {id: child-e, pseudonym: Child E, role: subject, name: Kerensa Invented-Tremayne, date_of_birth: 2019-06-30}
  - {id: mother, pseudonym: Mother, role: parent, name: Wenna Invented-Tremayne}
  - {id: stepfather, pseudonym: Stepfather, role: partner, name: Hedley Invented-Polglase}
YAML
refer_from "$INCOMING/request.yaml"
w next "$REF"
at request_received

# The business office identifies the Berkshire agencies involved and asks each for its chronology
# (due in four weeks) and its agency report (eight weeks), with the templates and a covering letter
on 2027-04-07
for agency in bffc rbft bhft; do
    w review agency-report "$REF" --agency "$agency" --requested 2027-04-07 --chronology-due 2027-05-05 \
        --due 2027-06-02
    render "$REF" chronology-template --agency "$agency"
    render "$REF" agency-report-template --agency "$agency"
    render "$REF" initiation-letter --agency "$agency"
    # wbcr refuses `notify --purpose initiation_letter` (the purpose it takes from this letter's name)
    # for an out-of-area case, though the letter has its own out-of-area wording: recorded as a request
    w notify "$REF" --recipient "agency:$agency" --purpose agency_report_request \
        --document "$REGISTER/output/$REF/$REF-initiation-letter-$agency.docx"
done
w advance "$REF"
at agency_reports_requested

# The chronologies come in (each agency's spreadsheet, saved as CSV) and are imported and merged
on 2027-05-05
cat > "$INCOMING/bffc-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
12/06/2024,10:00,Contact record,Child E; Mother,School reported that Child E said her stepfather hurt her arm.,Child and family assessment started,Strategy discussion not held,Social worker 1,The stepfather's history was not checked.
10/07/2024,,Assessment record,Child E; Mother; Stepfather,Assessment completed; Child E seen at home with Mother present.,Stepped down to early help,Early help plan,Social worker 1,Child E was not seen alone.
01/10/2024,,Early help plan review,Mother,Early help plan reviewed at school.,Plan continued,Attendance improving,Early help worker 1,
17/12/2024,,Early help plan review,Mother,Early help plan reviewed; Mother did not attend.,Home visit arranged,Visit completed on 19/12/2024,Early help worker 1,
11/03/2025,,Early help plan review,Mother; Stepfather,Early help plan reviewed; the stepfather attended for the first time.,Plan continued,No new concerns recorded,Early help worker 1,The stepfather's role in the household was not explored.
03/06/2025,,Early help plan review,Mother,Early help plan reviewed at school.,Plan continued,Attendance 94%,Early help worker 1,
26/08/2025,,Early help plan review,Mother,Summer review by telephone.,Plan continued,No concerns raised,Early help worker 1,
18/11/2025,,Early help plan review,Mother,Early help plan reviewed at school.,Plan continued,Mother mentioned a possible move,Early help worker 1,A possible move was not followed up.
20/01/2026,15:30,Case note,Mother,Mother told the early help worker the family was moving to Westmarch.,Transfer letter drafted,Letter not sent before the family moved,Early help worker 1,No transfer to Westmarch children's services.
CSV
cat > "$INCOMING/rbft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
03/09/2024,19:45,Emergency department record,Child E; Mother,Attended with a swollen wrist said to be from a fall in the park.,X-ray; discharged,No safeguarding referral,ED doctor 1,The June 2024 referral was not known to the emergency department.
CSV
cat > "$INCOMING/bhft-chronology.csv" <<'CSV'
Date of contact,Time,Source of information,People involved,Contact/Event,Action taken,Outcome,Practitioner,Significance
12/06/2024,14:00,School nursing record,Child E,Told by the school of its referral to children's social care.,Health assessment offered,Appointment sent,School nurse 1,
05/09/2024,,School nursing record,Child E; Mother,Health assessment; Mother attended; the wrist injury two days earlier was not mentioned.,Growth and development checked,No concerns recorded,School nurse 1,The emergency department attendance was not known to school nursing.
21/11/2024,,School nursing record,Child E,Follow-up at school.,Discharged from the school nursing caseload,Closed,School nurse 1,
CSV
for agency in bffc rbft bhft; do
    w chronology import "$REF" --agency "$agency" "$INCOMING/$agency-chronology.csv"
    w review agency-report "$REF" --agency "$agency" --chronology-received 2027-05-05
done
w chronology merge "$REF" --pseudonymised
w chronology reviewed "$REF" --on 2027-05-05

# The agency reports come in, each signed off by its agency's designated senior manager
on 2027-06-02
for agency in bffc rbft bhft; do
    w review agency-report "$REF" --agency "$agency" --received 2027-06-02 --signed-off 2027-06-01 \
        --signed-off-by "Designated senior manager"
done

# The CRG makes the final quality assurance check before anything goes to Westmarch
on 2027-06-07
w advance "$REF"
at quality_assurance
on 2027-06-14
for agency in bffc rbft bhft; do
    w review agency-report "$REF" --agency "$agency" --quality-assured 2027-06-14
done

# The business office sends the reports to Westmarch, before its deadline (wbcr has no covering letter
# for this; note that its guard for `submitted` is met by any notice, the request letters above included)
on 2027-06-16
w notify "$REF" --recipient notifier --purpose agency_reports --method secure_email \
    --name "Elowen Invented-Manager" \
    --note "The three quality-assured agency reports and chronologies, sent to Westmarch LSCB"
w advance "$REF"
at submitted

# The CRG monitors the review; Westmarch's report makes one recommendation for Berkshire agencies
on 2027-06-21
w advance "$REF"
at monitoring
on 2027-10-18
w plan recommendation "$REF" --id R1 --scope single_agency --agency bffc --adopted 2027-10-18 \
    --text "When a family open to early help moves out of area, the receiving area is told before the case is closed"
w plan action "$REF" --recommendation R1 --id R1-A1 --lead-agency bffc --target 2028-01-31 \
    --lead-officer "Head of Early Help" \
    --action "Add a transfer step to the early help closure checklist" \
    --measure "An audit of ten closures on moving shows the receiving area told in every case"
render "$REF" action-plan
on 2027-12-13
w plan rag "$REF" --action R1-A1 --rag GREEN --note "Checklist revised; briefing for early help workers booked"
render "$REF" rag-progress-report
on 2028-01-24
w plan sign-off "$REF" --action R1-A1 --by "Case Review Group Chair" \
    --evidence "Checklist in use from 3 January 2028; audit of ten closures on moving: receiving area told in all"
w advance "$REF"
at closed
w history "$REF"
w validate --strict
