#!/usr/bin/env bash
# Working Together 2015: a good-practice notification, from the notification to closed.
#
# Child F (fictional), aged 2, has complex health needs and is fed by a tube. When the family lost
# their home, the health visitor, the hospital's children's community nursing team and Wokingham
# children's services worked together so that her care was never interrupted. Wokingham children's
# services notify the CRG as an example of good multi-agency practice (guidance, "Good Practice case
# review notifications"). The CRG chair screens it, the CRG considers it and agrees no review is
# needed but the practice should be shared, the notifier is thanked and told, and the learning goes out
# to the agencies as a seven-minute briefing before the case closes.
#
#   bash examples/walkthroughs/wt2015-good-practice.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

on 2027-09-06
w init "$REGISTER" --procedure wt2015
cat > "$INCOMING/notification.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-09-06
lead_lscb: wokingham
intake: good_practice
route: agency
referrer: {name: Lowenna Invented-Referrer, agency: wokingham-cs, role: "Team Manager, Children with Disabilities"}
dsl_consulted: {consulted: true, name: Gwithian Invented-Lead, role: Head of Safeguarding, agency: wokingham-cs}
subjects: [child-f]
criteria:
  good_practice: [good_multi_agency_practice]
incident:
  date: 2027-07-14
  description: >-
    Child F's family were evicted at a day's notice; Child F, aged 2, is fed by a tube and needs daily
    nursing care.
summary: >-
  When Child F's family were evicted, the health visitor called a same-day meeting with the children's
  community nursing team and children's services. Emergency accommodation near the hospital was found
  that evening, the feeding equipment was moved by the nursing team, and Child F's care plan was shared
  with the out-of-hours GP service. Child F missed no feeds and no appointments, and Mother says she
  felt listened to throughout. The notifier believes the case shows how quick information sharing and
  one named lead worker can keep a disabled child safe in a crisis.
agencies_involved:
  - {agency: bhft, worker: Health Visitor, still_involved: true}
  - {agency: rbft, worker: Children's Community Nurse, still_involved: true}
  - {agency: wokingham-cs, worker: Social Worker, still_involved: true}
records_secured: false
people:
  - {id: child-f, pseudonym: Child F, role: subject, name: Morwen Invented-Trevail, date_of_birth: 2025-04-09}
  - {id: mother, pseudonym: Mother, role: parent, name: Kenwyn Invented-Trevail}
YAML
refer_from "$INCOMING/notification.yaml"
w next "$REF"

# The CRG chair screens the notification: enough detail for the CRG to consider it
w advance "$REF"
at screening
on 2027-09-07
w screen "$REF" --outcome sufficient \
    --rationale "A clear good-practice notification with enough detail for the CRG; no further information needed"
w advance "$REF"
at crg_consideration

# The CRG considers it: no review, share the learning; the outcome goes to the Independent Chair for
# information, and the notifier is thanked and told
on 2027-09-20
w crg meeting "$REF" --on 2027-09-20 --present "Case Review Group Chair" --present "Police member" \
    --present "Designated Nurse" --present "Designated Doctor" --present "Children's social care member"
w crg recommend "$REF" --member "Case Review Group Chair" --recommendation no_review \
    --reason "Good practice to share, not to review; a seven-minute briefing will reach the most practitioners"
w crg recommend "$REF" --member "Police member" --agency tvp --recommendation no_review \
    --reason "No police involvement; the single named lead worker is worth sharing with all agencies"
w crg recommend "$REF" --member "Designated Nurse" --agency bob-icb --recommendation no_review \
    --reason "Share with primary care: the out-of-hours GP service had the care plan the same day"
w crg recommend "$REF" --member "Designated Doctor" --agency bob-icb --recommendation no_review \
    --reason "The community nursing response is an example for other children with complex needs"
w crg recommend "$REF" --member "Children's social care member" --agency bffc --recommendation no_review \
    --reason "Useful for Reading and West Berkshire housing and children's services too"
on 2027-09-21
w crg conclude "$REF" --criteria-not-met --abuse-or-neglect not_known --outcome-for-child neither \
    --alternative-considered \
    --alternative-outcome "No review of any kind is needed. The learning will be shared as good practice through a seven-minute briefing and the LSCB newsletters." \
    --recommendation no_review \
    --rationale "All members present agreed that the case is an example of good multi-agency practice that should be shared, not reviewed" \
    --sent-to-chair 2027-09-21
render "$REF" notifier-notice --to notifier
# wbcr takes the purpose of a rendered notifier-notice to be decision_notification, which it refuses
# for a good-practice notification (there is no Chair's decision): recorded with its own purpose
w notify "$REF" --recipient notifier --purpose crg_outcome \
    --document "$REGISTER/output/$REF/$REF-notifier-notice-notifier.docx"

# The good practice is shared across the partnership: a seven-minute briefing to every agency involved
# and to the three LSCBs
on 2027-10-18
w advance "$REF"
at learning_shared
for agency in bhft rbft wokingham-cs; do
    w notify "$REF" --recipient "agency:$agency" --purpose good_practice_briefing --method email \
        --note "Seven-minute briefing on Child F: one named lead worker and same-day information sharing"
done

on 2027-11-22
w advance "$REF" --note "Briefing published on the three LSCB websites and presented at each LSCB meeting"
at closed
w history "$REF"
w validate --strict
