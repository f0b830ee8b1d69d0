"""Template errors that point at the fix (issue 12 point 7), through the command line as a user sees them.

A register made by `wbcr init` with one case referred, whose board overrides a template in `templates/`
with a mistake in it: `wbcr render` names whose template it is, the line where the problem starts and,
for a missing field, the record and field to fill in, in one message with no traceback (exit 3);
`wbcr templates check` finds the same mistakes without rendering (exit 1), and `wbcr validate` warns of a
wbcr.yaml detail a notice's template reads with nothing to fall back on.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, module_environment, referred_case

TODAY = "2017-11-01"

REFERRAL = """\
schema_version: 1
reference: NEW
received: 2017-10-30
lead_lscb: reading
intake: review_referral
route: agency
referrer: {name: Pat Invented, agency: rbft, role: Named Nurse for Safeguarding}
subjects: [child-a]
criteria: {must_notify: [serious_harm_concern]}
summary: Child A, aged 3, admitted with a head injury; explanations inconsistent.
people:
  - {id: child-a, pseudonym: Child A, role: subject, name: Zennor Invented-Child, date_of_birth: 2014-01-29}
  - {id: mother, pseudonym: Mother, role: parent, name: Quilla Invented-Parent}
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """(register, reference): a 2015 tool kit register as `wbcr init` writes it, with one case referred."""
    with module_environment(tmp_path_factory):
        yield referred_case(tmp_path_factory.mktemp("made"), REFERRAL, procedure="wt2015", today=TODAY)


@pytest.fixture
def register(made, tmp_path, env):
    """A copy of `made` for one test to put templates in and change wbcr.yaml."""
    root, reference = made
    copy = tmp_path / "register"
    shutil.copytree(root, copy, symlinks=True)
    (copy / "templates").mkdir()
    return copy, reference


def _override(root, name: str, text: str) -> None:
    (root / "templates" / name).write_text(text, encoding="utf-8")


def _render(wbcr, root, reference, name="decision-notification", to="ofsted"):
    result = wbcr("--today", TODAY, "render", reference, name, "--to", to, "--no-protect", "--draft", cwd=root)
    assert "Traceback" not in result.err and "internal error" not in result.err
    return result


def _error_lines(result) -> list[str]:
    return [line for line in result.err.splitlines() if line.startswith(("error:", "  hint:"))]


# --- wbcr render ---------------------------------------------------------------------------------


def test_a_missing_detail_of_a_national_body_names_its_place_in_wbcr_yaml(wbcr, register):
    root, reference = register
    _override(root, "decision-notification.md.j2", "# Notice\n\nBy secure email: {{ external.ofsted.email }}\n")
    result = _render(wbcr, root, reference)
    assert result.code == 3
    assert _error_lines(result) == [
        "error: template decision-notification.md.j2 line 3 (the board's override "
        "templates/decision-notification.md.j2): wbcr.yaml: external_bodies.ofsted.email is not recorded "
        "(external.ofsted.email in the template)",
        "  hint: add it to wbcr.yaml and run `wbcr validate`, or guard it in the template with "
        "{% if … is defined %} or | default(…)"]
    assert not list(root.glob("output/**/*.docx"))  # nothing written


def test_the_recipient_s_missing_detail_is_traced_through_a_set_to_the_body_it_is_sent_to(wbcr, register):
    root, reference = register
    _override(root, "decision-notification.md.j2",
              "# Notice\n\n{% set to = recipient %}\n\n{{ to.name }}\n\n{{ 'By secure email: ' ~ to.email }}\n")
    result = _render(wbcr, root, reference, to="dfe")
    assert result.code == 3
    assert ("line 7 (the board's override templates/decision-notification.md.j2): "
            "wbcr.yaml: external_bodies.dfe.email is not recorded") in result.err


def test_a_missing_case_record_field_names_the_record_file_and_the_whole_field(wbcr, register):
    root, reference = register
    _override(root, "decision-notification.md.j2", "# Notice\n\nThe review covers from {{ review.terms_of_reference.scope_from }}.\n")
    result = _render(wbcr, root, reference)
    assert result.code == 3
    assert "line 3 (the board's override templates/decision-notification.md.j2): review.yaml: " \
           "terms_of_reference.scope_from is not recorded" in result.err
    assert f"`wbcr next {reference}`" in result.err


def test_an_unknown_name_lists_the_names_a_template_can_use(wbcr, register):
    root, reference = register
    _override(root, "decision-notification.md.j2", "# Notice\n\n{{ refferal.summary }}\n")
    result = _render(wbcr, root, reference)
    assert result.code == 3
    assert "line 3 (the board's override templates/decision-notification.md.j2): refferal is not a value " \
           "documents have" in result.err
    assert "referral" in result.err.split("hint:")[1]


@pytest.mark.parametrize("text, line, message, hint", [
    ("# Notice\n\n{% if referral.summary is defined %}\nSummary:\n\n{% for p in people %}\n- {{ p.pseudonym }}\n"
     "{% endfor %}\n\nMore text.\n\nAnd more.\n", 3, "{% if %} on line 3 is never closed", "add {% endif %}"),
    ("# Notice\n\n{% if true %}\n{% for p in people %}\n- {{ p.pseudonym }}\n{% endif %}\n\nMore.\n", 4,
     "{% for %} on line 4 is not closed before {% endif %} on line 6", "add {% endfor %} before line 6"),
    ("# Notice\n\nText\n{% endif %}\n", 4, "{% endif %} on line 4 closes no block", "remove it"),
])
def test_a_syntax_error_is_reported_where_the_problem_starts(wbcr, register, text, line, message, hint):
    root, reference = register
    _override(root, "decision-notification.md.j2", text)
    result = _render(wbcr, root, reference)
    assert result.code == 3
    first, second = _error_lines(result)
    assert first == (f"error: template decision-notification.md.j2 line {line} (the board's override "
                     f"templates/decision-notification.md.j2): {message}")
    assert hint in second


def test_a_sandbox_error_carries_the_template_line(wbcr, register):
    root, reference = register
    _override(root, "decision-notification.md.j2", "# Notice\n\nText\n\n{{ ''.__class__.__mro__ }}\n")
    result = _render(wbcr, root, reference)
    assert result.code == 3
    assert _error_lines(result)[0].startswith(
        "error: template decision-notification.md.j2 line 5 (the board's override "
        "templates/decision-notification.md.j2): not allowed in a template: access to attribute '__class__'")


@pytest.mark.parametrize("expression", ["{{ 1 / 0 }}", "{{ '7' + 1 }}", "{{ [1][3] }}"])
def test_an_expression_that_fails_names_the_line_and_is_no_internal_error(wbcr, register, expression):
    root, reference = register
    _override(root, "decision-notification.md.j2", f"# Notice\n\nText\n\n{expression}\n")
    result = _render(wbcr, root, reference)
    assert result.code != 0 and "internal error" not in result.err
    assert _error_lines(result)[0].startswith(
        "error: template decision-notification.md.j2 line 5 (the board's override templates/decision-notification.md.j2): ")


def test_an_error_in_wbcr_s_own_template_says_it_is_the_built_in_one(wbcr, register):
    """The board's override includes wbcr's notice with a decision that has no rationale: the error is in
    the built-in template, and says so."""
    root, reference = register
    _override(root, "notifier-notice.md.j2",
              '{% set decisions = {"chair_decision": {"decision": "scr", "date": "2017-11-01"}} %}'
              '{% include "decision-notification.md.j2" %}\n')
    result = _render(wbcr, root, reference, name="notifier-notice", to="notifier")
    assert result.code == 3
    assert "(wbcr's built-in template decision-notification.md.j2): decisions.yaml: chair_decision.rationale " \
           "is not recorded" in result.err


def test_an_unknown_filter_is_a_syntax_error_of_the_board_s_template(wbcr, register):
    root, reference = register
    _override(root, "decision-notification.md.j2", "# Notice\n\n{{ today | longdate }}\n")
    result = _render(wbcr, root, reference)
    assert result.code == 3
    assert "template decision-notification.md.j2 line 3 (the board's override templates/decision-notification.md.j2)" \
           in result.err and "longdate" in result.err


def test_the_real_entry_point_prints_one_message_and_no_traceback(wbcr_process, register):
    root, reference = register
    _override(root, "decision-notification.md.j2", "# Notice\n\n{{ external.ofsted.email }}\n")
    result = wbcr_process("--today", TODAY, "render", reference, "decision-notification", "--to", "ofsted",
                          "--no-protect", "--draft", cwd=root)
    assert result.code == 3 and "Traceback" not in result.err
    assert [line for line in result.err.splitlines() if line.startswith("error:")] == [
        "error: template decision-notification.md.j2 line 3 (the board's override "
        "templates/decision-notification.md.j2): wbcr.yaml: external_bodies.ofsted.email is not recorded "
        "(external.ofsted.email in the template)"]


# --- wbcr templates check --------------------------------------------------------------------------

MISTAKES = """\
# Notice to Ofsted

Dear {{ recipient.name }},

See [our website](https://example.org) and <b>this</b>, or ![our logo](logo.png).

{{ image("flow", "flow.png") }}

{{ board.nam }} wrote to {{ external.ofsted.fax }} about {{ refferal.summary }}.

{% set chair = decisions.chair_decision | default({}) %}
{% for p in people %}{{ p.pseudonym }}{% endfor %}
{{ chair.rationale | default("") }} {{ agencies.tvp.name }} {{ agencies.police.name }}
"""


def test_templates_check_finds_each_mistake_of_a_board_override(wbcr, register):
    root, _ = register
    _override(root, "ofsted-notice.md.j2", MISTAKES)
    _override(root, "decision-notification.md.j2", "# Notice\n\n{% if true %}\nText\n\nMore\n")
    result = wbcr("templates", "check", cwd=root)
    assert result.code == 1
    lines = result.out.splitlines()
    codes = [(line.split(": ", 1)[0], line.split("[", 1)[1].split("]", 1)[0]) for line in lines]
    assert codes == [
        ("templates/decision-notification.md.j2:3", "template.syntax"),
        ("templates/ofsted-notice.md.j2", "template.unknown-override"),
        ("templates/ofsted-notice.md.j2:5:5", "template.markdown-link"),
        ("templates/ofsted-notice.md.j2:5:44", "template.markdown-html"),
        ("templates/ofsted-notice.md.j2:5:51", "template.markdown-html"),
        ("templates/ofsted-notice.md.j2:5:60", "template.markdown-image"),
        ("templates/ofsted-notice.md.j2:9", "template.unknown-field"),
        ("templates/ofsted-notice.md.j2:9", "template.unknown-field"),
        ("templates/ofsted-notice.md.j2:9", "template.unknown-name"),
        ("templates/ofsted-notice.md.j2:13", "template.unknown-field"),
    ], result.out
    text = result.out
    assert ("templates/decision-notification.md.j2:3: error[template.syntax]: {% if %} on line 3 is never closed "
            "(the board's override templates/decision-notification.md.j2) (hint: add {% endif %} where the block ends)"
            ) in lines
    assert 'did you mean "templates/decision-notification.md.j2"?' in text
    assert "wbcr.yaml: board.nam is not a field the records can have" in text and "short_name" in text
    assert "wbcr.yaml: external_bodies.ofsted.fax is not a field" in text and "email" in text
    assert 'refferal is not a value documents have' in text and 'did you mean "referral"?' in text
    assert "wbcr.yaml: agencies[police]" in text and "tvp" in text
    assert "agencies[tvp]" not in text and "chair.rationale" not in text  # real fields, and a template's own
    assert "flow.png" not in text  # the image made by image() is the template's own
    assert "2 template(s) in templates/: 10 error(s)" in result.err


def test_templates_check_json(wbcr, register):
    root, _ = register
    _override(root, "ofsted-notice.md.j2", "# Notice\n\n[link](https://example.org)\n")
    result = wbcr("templates", "check", "--format", "json", cwd=root)
    assert result.code == 1
    data = json.loads(result.out)
    assert data["ok"] is False and data["errors"] == 2
    assert [(f["code"], f["path"], f["line"], f["col"], f["severity"]) for f in data["findings"]] == [
        ("template.unknown-override", "templates/ofsted-notice.md.j2", None, None, "error"),
        ("template.markdown-link", "templates/ofsted-notice.md.j2", 3, 1, "error")]


def test_every_built_in_template_passes_as_a_board_override(wbcr, register):
    """No false alarms: wbcr's own templates, copied into templates/ as a board would start, are clean."""
    root, _ = register
    for path in (ROOT / "case_templates" / "documents").glob("*.md.j2"):
        shutil.copy(path, root / "templates" / path.name)
    result = wbcr("templates", "check", cwd=root)
    assert result.code == 0, result.out
    assert result.out == ""


def test_templates_check_without_overrides_is_clean(wbcr, register):
    root, _ = register
    result = wbcr("templates", "check", cwd=root)
    assert result.code == 0 and result.out == ""
    assert "0 template(s) in templates/: 0 error(s)" in result.err


# --- wbcr validate ---------------------------------------------------------------------------------


def _document_fields(wbcr, root) -> list[str]:
    result = wbcr("--today", TODAY, "validate", "--format", "json", cwd=root)
    return [f"{f['path']}:{f['line']}: {f['message']}" for f in json.loads(result.out)["findings"]
            if f["code"] == "config.document-field"]


def test_validate_warns_of_a_body_s_detail_a_notice_reads_and_wbcr_yaml_lacks(wbcr, register):
    root, _ = register
    assert _document_fields(wbcr, root) == []  # wbcr's notices print the secure email only when it is recorded
    _override(root, "decision-notification.md.j2", "# Notice\n\nBy secure email: {{ recipient.email }}\n")
    found = _document_fields(wbcr, root)
    assert [line.split(": ", 1)[1] for line in found] == [
        f"external_bodies.{body}.email is not recorded, and decision-notification (--to {body}) cannot render "
        "without it" for body in ("ofsted", "dfe", "national_panel")]
    assert all(line.startswith("wbcr.yaml:") for line in found)
    config = root / "wbcr.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "ofsted: {name: Ofsted, role: Serious incident notifications}",
        "ofsted: {name: Ofsted, role: Serious incident notifications, email: sin@ofsted.example.org}"), encoding="utf-8")
    assert [line.split(": ", 1)[1].split(".")[1] for line in _document_fields(wbcr, root)] == ["dfe", "national_panel"]
    strict = wbcr("--today", TODAY, "validate", "--strict", cwd=root)
    assert "warning[config.document-field]" in strict.out or "error[config.document-field]" in strict.out
