#!/usr/bin/env bash
# Working Together 2015: two referrals that end without a review.
#
# 1. The Chair decides no review. Child C (fictional), aged 15, is admitted to hospital after a
#    serious overdose. The agencies' answers show they knew Child C, responded quickly and worked well
#    together; abuse or neglect is not known or suspected, so the SCR criteria are not met. The CRG
#    considers the alternative reviews and recommends none; the Independent Chair agrees. A decision not
#    to hold an SCR is notified like any other: Ofsted, DfE and the National Panel within five working
#    days, with its rationale; the Chair emails the notifier; outcome letters go to the agencies; closed.
#
# 2. The screening exit. Child D (fictional), aged 12, breaks a wrist when another pupil pushes him
#    over outside school; the school refers out of caution. The CRG chair screens it out of the review
#    process (`not_for_review`), the notifier is told the decision and its rationale, and the case is
#    closed straight from screening.
#
#   bash examples/walkthroughs/wt2015-no-review.sh /tmp/new-register

source "$(dirname "$0")/lib.sh"

# ---------------------------------------------------------------------------------------------------
# 1. Considered by the CRG; the Independent Chair decides no review
# ---------------------------------------------------------------------------------------------------
on 2027-05-10
w init "$REGISTER" --procedure wt2015
cat > "$INCOMING/referral-child-c.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-05-10
lead_lscb: west-berkshire
intake: review_referral
route: agency
referrer: {name: Saoirse Invented-Referrer, agency: rbft, role: Named Nurse for Safeguarding Children}
dsl_consulted: {consulted: true}
subjects: [child-c]
criteria:
  must_notify: [life_threatening_injury]
incident:
  date: 2027-05-06
  description: >-
    Child C, aged 15, was admitted to intensive care after taking a large overdose of paracetamol at home.
summary: >-
  Child C, aged 15, took a life-threatening overdose and spent two days in intensive care; she is now
  recovering. She had been on the CAMHS waiting list for eight weeks after a first episode of
  self-harm, and the hospital is concerned that her emotional needs may have been neglected at home.
  The hospital refers so that the CRG can consider whether the way agencies worked together needs to
  be reviewed.
records_secured: true
people:
  - {id: child-c, pseudonym: Child C, role: subject, name: Tamsin Invented-Trevail, date_of_birth: 2011-10-02}
  - {id: mother, pseudonym: Mother, role: parent, name: Ysolde Invented-Trevail}
  - {id: father, pseudonym: Father, role: parent, name: Cadan Invented-Trevail}
YAML
refer_from "$INCOMING/referral-child-c.yaml"
CHILD_C=$REF
w next "$REF"

# Screening and the information requests (Appendix 2): answers due in 10 working days
w advance "$REF"
on 2027-05-11
w screen "$REF" --outcome sufficient --rationale "Enough detail to ask the agencies that knew Child C for information"
w advance "$REF"
for agency in rbft bhft wbc-cs; do
    render "$REF" information-request --agency "$agency"
    w request "$REF" --agency "$agency" --sent 2027-05-11
done
on 2027-05-20
w request "$REF" --agency rbft --received 2027-05-18 --involved
w request "$REF" --agency bhft --received 2027-05-19 --involved
w request "$REF" --agency wbc-cs --received 2027-05-20 --involved

# The Case Review Group: the SCR criteria are not met, the alternatives are considered, and no review
# is recommended; the recommendation goes to the Independent Chair within the week
on 2027-05-24
w advance "$REF"
w crg meeting "$REF" --on 2027-05-24 --present "Case Review Group Chair" --present "Police member" \
    --present "Designated Nurse" --present "Designated Doctor" --present "Children's social care member"
w crg recommend "$REF" --member "Case Review Group Chair" --recommendation no_review \
    --reason "No abuse or neglect known or suspected; the agencies worked together well"
w crg recommend "$REF" --member "Police member" --agency tvp --recommendation no_review \
    --reason "No police involvement before the overdose; nothing for a multi-agency review to learn"
w crg recommend "$REF" --member "Designated Nurse" --agency bob-icb --recommendation no_review \
    --reason "The CAMHS waiting time is already the subject of the trust's own improvement plan"
w crg recommend "$REF" --member "Designated Doctor" --agency bob-icb --recommendation no_review \
    --reason "The hospital's response and the safety plan on discharge were good practice"
w crg recommend "$REF" --member "Children's social care member" --agency bffc --recommendation no_review \
    --reason "West Berkshire children's social care assessed the family promptly; no gaps between agencies"
on 2027-05-26
w crg conclude "$REF" --criteria-not-met --abuse-or-neglect not_known --outcome-for-child seriously_harmed \
    --alternative-considered \
    --alternative-outcome "No alternative review is needed: the answers show no concern about how agencies worked together, and the wait for CAMHS is being addressed by the trust's own improvement plan, which the CRG will hear about in six months." \
    --recommendation no_review \
    --rationale "Child C was seriously harmed, but abuse or neglect is not known or suspected and the agencies worked together well" \
    --sent-to-chair 2027-05-26
w advance "$REF"
at chair_decision

# The Independent Chair agrees; a decision not to hold an SCR is notified, with its rationale, to
# Ofsted, DfE and the National Panel within five working days; the notifier and the agencies are told
on 2027-06-02
w decide "$REF" --decision no_review \
    --rationale "The SCR criteria are not met: abuse or neglect is not known or suspected. The agencies' answers show no concern about how they worked together, so no alternative review would add learning."
w advance "$REF"
at notifications
on 2027-06-03
for body in ofsted dfe national_panel; do
    render "$REF" decision-notification --to "$body"
    w notify "$REF" --recipient "$body" --document "$REGISTER/output/$REF/$REF-decision-notification-$body.docx"
done
render "$REF" notifier-notice --to notifier
w notify "$REF" --recipient notifier --document "$REGISTER/output/$REF/$REF-notifier-notice-notifier.docx"
for agency in rbft bhft wbc-cs; do
    render "$REF" outcome-letter --agency "$agency"
    w notify "$REF" --recipient "agency:$agency" --document "$REGISTER/output/$REF/$REF-outcome-letter-$agency.docx"
done
w next "$REF"
w advance "$REF"
at closed
render "$REF" decision-audit-report   # the audit trail of the decision, for the Board and the National Panel

# ---------------------------------------------------------------------------------------------------
# 2. Screened out of the review process: the notifier told, closed from screening
# ---------------------------------------------------------------------------------------------------
on 2027-06-07
cat > "$INCOMING/referral-child-d.yaml" <<'YAML'
schema_version: 1
reference: NEW
received: 2027-06-07
lead_lscb: wokingham
intake: review_referral
route: agency
referrer: {name: Perran Invented-Referrer, agency: wokingham-cs, role: Education Safeguarding Adviser}
dsl_consulted: {consulted: true}
subjects: [child-d]
criteria: {}
incident:
  date: 2027-06-01
  description: >-
    Child D, aged 12, broke his wrist when another pupil pushed him over at the school gate.
summary: >-
  Child D was pushed over by another pupil outside school and broke his wrist. The school dealt with
  the incident under its behaviour policy and the police spoke to both families. There are no
  concerns about Child D's care at home. The school refers out of caution, asking whether the incident
  should be reviewed.
records_secured: false
people:
  - {id: child-d, pseudonym: Child D, role: subject, name: Jory Invented-Trevail, date_of_birth: 2015-01-27}
  - {id: mother, pseudonym: Mother, role: parent, name: Demelza Invented-Trevail}
YAML
refer_from "$INCOMING/referral-child-d.yaml"
CHILD_D=$REF
w advance "$REF"
at screening
on 2027-06-08
w screen "$REF" --outcome not_for_review \
    --rationale "An assault by another pupil, dealt with by the school and the police; abuse or neglect by a carer is not known or suspected and there is no question about how agencies worked together"
render "$REF" notifier-notice --to notifier
# wbcr takes the purpose of a rendered notifier-notice to be decision_notification, and refuses that
# before the Independent Chair has decided (which never happens for a screened-out referral); the
# exit only asks that the notifier was told, so the notice is recorded with its own purpose
w notify "$REF" --recipient notifier --purpose screening_outcome \
    --document "$REGISTER/output/$REF/$REF-notifier-notice-notifier.docx"
w next "$REF"
w advance "$REF" --stage closed --note "Screened out of the review process; the notifier told the decision and its rationale"
at closed

w history "$CHILD_C"
w history "$CHILD_D"
w status
w validate --strict
