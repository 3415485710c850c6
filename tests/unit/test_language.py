"""The standalone language checker: finds stigmatizing wording, stays quiet on ordinary teaching prose."""

from __future__ import annotations

import itertools

import pytest

from peersupport.coach.language import check_language


def found(text: str) -> list[str]:
    return [f.span.text for f in check_language(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Many addicts struggle to find housing.", "addicts"),
        ("Her dad was an alcoholic.", "an alcoholic"),
        ("He is a former addict who now mentors others.", "a former addict"),
        ("The clinic treats substance abuse.", "substance abuse"),
        ("He was abusing pills after surgery.", "abusing pills"),
        ("Drug abusers were turned away.", "Drug abusers"),
        ("She has been clean for two years.", "been clean"),
        ("His urine screen came back dirty.", "came back dirty"),
        ("He tested clean last week.", "tested clean"),
        ("They see methadone as replacement therapy.", "replacement therapy"),
        ("The junkies by the station", "junkies"),
        ("services for the mentally ill", "the mentally ill"),
        ("Homeless people sleep in the park.", "Homeless people"),
        ("Don't be such an enabler.", "enabler"),
        ("He was strung out all weekend.", "strung out"),
        ("IV drug users need clean needles.", "IV drug users"),
    ],
)
def test_flags_stigmatizing_terms(text, expected):
    flags = check_language(text)
    assert expected in [f.span.text for f in flags]
    f = next(f for f in flags if f.span.text == expected)
    assert text[f.span.start : f.span.end] == expected
    assert f.code == "stigma_language" and f.suggestion and f.message


@pytest.mark.parametrize(
    "text",
    [
        "Peers must report suspected child abuse and abuse of a vulnerable adult.",
        "Domestic abuse and sexual abuse are trauma; survivors deserve belief.",
        "The Substance Abuse and Mental Health Services Administration (SAMHSA) publishes the competencies.",
        "The National Institute on Drug Abuse explains why words matter.",
        "Alcoholics Anonymous and Narcotics Anonymous are mutual-help groups.",
        "A person with a substance use disorder; a person in recovery; people who use drugs.",
        "Keep the kitchen clean and the supplies stocked.",
        "Bring clean clothes and a towel.",
        "Non-alcoholic drinks are available; alcoholic beverages are not allowed.",
        "A person experiencing homelessness can stay at the homeless shelter.",
        "Read the user guide before the session.",
        "Trainees learn to listen for the feeling underneath the words.",
        "We wasted no time getting started.",
        "Bipolar disorder is a mental health condition; people with bipolar disorder live full lives.",
        "Addiction is a treatable condition, and recovery is possible.",
        "She is addicted to nothing but coffee.",
        "Source: https://example.org/42-cfr-part-2-substance-abuse-confidentiality (rule text).",
    ],
)
def test_quiet_on_ordinary_teaching_prose(text):
    assert found(text) == []


def test_quoted_speech_and_mentions_are_allowed():
    assert found('Marcus says, "I\'m an addict and I\'m proud of my recovery."') == []
    assert found("Avoid the word *addict*; instead say person with a substance use disorder.") == []
    assert found("Instead of `clean`, say 'not using'.") == []
    assert found("Replace \u201cjunkie\u201d with \u201cperson who uses drugs\u201d.") == []


def test_people_may_describe_themselves():
    assert found("I'm an addict and I go to meetings.") == []
    assert found("I relapsed last spring.") == []
    assert found("I feel like I'm going crazy.") == []
    assert found("I'm worried he's an addict.") == ["an addict"]


def test_severity_levels():
    flags = check_language("He relapsed after detox.")
    assert {f.severity for f in flags} == {"consider"}
    assert check_language("She's a junkie.")[0].severity == "warning"


def test_results_are_in_reading_order_and_never_overlap():
    flags = check_language("The addicts and alcoholics at the detox were clean and sober.")
    starts = [f.span.start for f in flags]
    assert starts == sorted(starts)
    assert all(a.span.end <= b.span.start for a, b in itertools.pairwise(flags))


def test_non_string_and_empty():
    assert check_language("") == [] and check_language("   ") == []
    assert check_language(None) == []  # type: ignore[arg-type]
