#!/usr/bin/env bash
# Working Together 2023: a serious incident notification and a rapid review after which the safeguarding
# partners decide not to hold a local child safeguarding practice review (LCSPR), from the notification
# to closed.
#
# Child C (fictional), aged 15, is stabbed in a park and seriously injured; criminal exploitation is
# suspected. West Berkshire's children's services (the local authority) notify the Child Safeguarding
# Practice Review Panel and Ofsted within five working days. The partners ask the agencies for
# information and hold the rapid review: the agencies worked well together, the learning is already
# being acted on, and the Panel's national review of criminal exploitation covers the wider questions.
# They decide on no LCSPR; the rapid review report, with the decision and its rationale, goes to the
# Panel within fifteen working days of the notification, and the case closes.
#
#   bash examples/walkthroughs/wt2023-rapid-review-no-lcspr.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

AGENCIES="tvp rbft bhft wbc-cs"

# Friday night Child C is stabbed; on Monday morning children's services learn of it from the police
on 2027-03-01
w init "$REGISTER" --procedure wt2023
cat > "$INCOMING/referral.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-03-01
became_aware: 2027-03-01
lead_lscb: west-berkshire
intake: review_referral
route: agency
referrer: {name: Morwen Invented-Manager, agency: wbc-cs, role: "Service Manager, Child Protection", date: 2027-03-01}
dsl_consulted: {consulted: true, name: Kerensa Invented-Lead, role: Principal Social Worker, agency: wbc-cs}
subjects: [child-c]
criteria: {must_notify: [serious_harm_concern, life_threatening_injury]}
incident:
  date: 2027-02-26
  description: >-
    Child C, aged 15, was stabbed in a park in Newbury on the evening of Friday 26 February 2027 and
    taken by ambulance to the Royal Berkshire Hospital, where he had emergency surgery. He had been
    missing from home twice in January; the police suspect he was being criminally exploited.
summary: >-
  Child C, aged 15, was seriously injured in a knife attack. Criminal exploitation is suspected. He was
  open to the adolescent safeguarding team on a child in need plan.
immediate_actions: >-
  Strategy discussion on 1 March 2027; safety plan with the family; a younger sibling's school told.
other_children_at_risk: true
parallel_processes: {police_investigation: true, criminal_proceedings: true}
agencies_involved:
  - {agency: tvp}
  - {agency: rbft}
  - {agency: bhft}
  - {agency: wbc-cs}
records_secured: true
people:
  - {id: child-c, pseudonym: Child C, role: subject, name: Kitto Invented-Rowse, date_of_birth: 2011-10-19}
  - {id: mother, pseudonym: Mother, role: parent, name: Elowen Invented-Rowse}
YAML
refer_from "$INCOMING/referral.yaml"
at notification
w next "$REF"

# The partners ask each agency for what it knew, for the rapid review
on 2027-03-02
for agency in $AGENCIES; do
    w request "$REF" --agency "$agency" --sent 2027-03-02 --due 2027-03-09
    render "$REF" information-request --agency "$agency"
done

# The local authority notifies the Panel and Ofsted: due within 5 working days of becoming aware
# (made on the Panel's online form; wbcr's serious-incident-notification is the register's record of it)
on 2027-03-04
render "$REF" serious-incident-notification
for body in national_panel ofsted safeguarding_partners; do
    w notify "$REF" --recipient "$body" --purpose serious_incident_notification \
        --note "Serious incident notification form submitted online"
done
w advance "$REF"
at rapid_review
w next "$REF"

on 2027-03-09
for agency in $AGENCIES; do
    w request "$REF" --agency "$agency" --received 2027-03-09 --involved
done

# The rapid review: the three safeguarding partners' delegates (local authority, police, ICB) and the
# designated doctor; each says whether an LCSPR would bring out learning not already known
on 2027-03-17
w crg meeting "$REF" --on 2027-03-17 --present "Children's social care member" --present "Police member" \
    --present "Designated Nurse" --present "Designated Doctor"
for member in "Children's social care member" "Police member" "Designated Nurse" "Designated Doctor"; do
    w crg recommend "$REF" --member "$member" --recommendation no_review \
        --reason "Agencies worked well together; the learning is known and already being acted on"
done
w crg conclude "$REF" --criteria-met --abuse-or-neglect suspected --outcome-for-child seriously_harmed \
    --alternative-considered \
    --alternative-outcome "A single-agency review was considered; the police and children's services are already revising the missing-episode protocol, so it would add nothing" \
    --recommendation no_review --sent-to-chair 2027-03-17 \
    --rationale "The case was notified as a serious incident, but the rapid review found that agencies shared information promptly and worked well together; the learning is already being acted on and the Panel's national work on criminal exploitation covers the wider questions" \
    --went-well "Police and children's services shared the missing-episode reports the same day and held a strategy discussion within 24 hours" \
    --learning "Return-home interviews were not always offered within 72 hours" \
    --in-hand "Children's services and the police are revising the missing-episode protocol" \
    --no-national-review --national-review-reason "The Panel's national review of criminal exploitation already covers the wider questions"
w advance "$REF"
at decision

# The safeguarding partners decide on no LCSPR; the rapid review report, with the decision and its
# rationale, goes to the Panel within 15 working days of the notification
on 2027-03-19
w decide "$REF" --decision no_review --by "West Berkshire safeguarding partners" \
    --rationale "No local child safeguarding practice review: the rapid review found good multi-agency practice; the learning about missing episodes is already being acted on and the Panel's national review of criminal exploitation covers the wider questions"
w next "$REF"
on 2027-03-23
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

# The Panel answers the rapid review: it agrees that no LCSPR is needed; nothing further for the
# partners, so the case closes
on 2027-04-14
w panel-response "$REF" --outcome agrees --on 2027-04-14 \
    --note "The Panel agrees with the partners' decision and will draw on the rapid review in its national review"
w advance "$REF"
at closed
render "$REF" decision-audit-report
w history "$REF"
w validate --strict
