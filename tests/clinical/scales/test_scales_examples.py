"""Hand-worked examples for every scale: the lowest, the highest and a mixed case, worked out in comments."""

from __future__ import annotations

import pytest

from torsion.clinical import scales

#: The published range of each scale's total (from the clinical reference), written here rather than
#: read from the definitions so that a definition cannot change it unnoticed.
PUBLISHED_RANGES = {
    "adds": (0, 100),
    "bfmdrs": (0, 120),
    "bsdi": (0, 24),
    "cdip58": (0, 100),
    "gdrs": (0, 140),
    "jrs": (0, 8),
    "tsui": (0, 25),
    "twstrs": (0, 85),
    "udrs": (0, 112),
    "vhi10": (0, 40),
    "vhi30": (0, 120),
    "wcrs": (0, 30),
}


def fill(scale_id: str, default, **answers):
    """Every item of the scale at ``default`` ("lowest", "highest" or a number), then ``answers``."""
    definition = scales.get_scale(scale_id)
    out = {}
    for item in definition.items:
        if default == "lowest":
            out[item.id] = item.allowed[0]
        elif default == "highest":
            out[item.id] = item.allowed[-1]
        else:
            out[item.id] = default
    unknown = set(answers) - set(out)
    assert not unknown, unknown
    out.update(answers)
    return out


def test_the_scales_of_the_issue_are_all_there():
    assert [scale.id for scale in scales.list_scales()] == sorted(PUBLISHED_RANGES)


@pytest.mark.parametrize("scale_id", sorted(PUBLISHED_RANGES))
def test_declared_range_is_the_published_range(scale_id):
    definition = scales.get_scale(scale_id)
    assert (definition.min_total, definition.max_total) == PUBLISHED_RANGES[scale_id]


@pytest.mark.parametrize("scale_id", sorted(set(PUBLISHED_RANGES) - {"adds"}))
def test_published_maximum_when_every_item_is_at_its_highest(scale_id):
    result = scales.score(scale_id, fill(scale_id, "highest"))
    assert result.total == PUBLISHED_RANGES[scale_id][1]
    assert result.max_total == PUBLISHED_RANGES[scale_id][1]


@pytest.mark.parametrize("scale_id", sorted(set(PUBLISHED_RANGES) - {"adds"}))
def test_published_minimum_when_every_item_is_at_its_lowest(scale_id):
    assert scales.score(scale_id, fill(scale_id, "lowest")).total == PUBLISHED_RANGES[scale_id][0]


def test_adds_runs_the_other_way():
    # Higher is better on the ADDS: every item at its highest (most limited) gives 0%, the
    # published bottom, and every item at its lowest gives the published maximum, 100%.
    assert scales.get_scale("adds").higher_is_worse is False
    assert scales.score("adds", fill("adds", "highest")).total == 0
    assert scales.score("adds", fill("adds", "lowest")).total == 100


def by_section(scale_id: str, default, **section_values):
    """Every item at ``default``, except the items of the sections named, which take the value given."""
    definition = scales.get_scale(scale_id)
    return {item.id: section_values.get(item.section, default) for item in definition.items}


# Each case: scale, answers, expected total, expected sections.
CASES = {
    "twstrs mixed": (
        "twstrs",
        dict(
            rotation=2,
            laterocollis=1,
            antero_retrocollis=0,
            lateral_shift=1,
            sagittal_shift=0,
            duration=3,
            sensory_trick=1,
            shoulder_elevation=1,
            range_of_motion=2,
            time_held=2,
            work=2,
            daily_activities=1,
            driving=3,
            reading=2,
            television=1,
            outside_activities=2,
            pain_usual=5,
            pain_best=2,
            pain_worst=8,
            pain_duration=3,
            pain_disability=2,
        ),
        # severity: excursion 2+1+0+1+0 = 4, duration 2 x 3 = 6, then 1+1+2+2 = 6: 16
        # disability: 2+1+3+2+1+2 = 11
        # pain: (8 + 2 + 2 x 5) / 4 = 5, + 3 + 2 = 10
        37,
        {"severity": 16, "disability": 11, "pain": 10},
    ),
    "twstrs fractional pain": (
        "twstrs",
        dict(
            rotation=4,
            laterocollis=0,
            antero_retrocollis=3,
            lateral_shift=0,
            sagittal_shift=1,
            duration=5,
            sensory_trick=2,
            shoulder_elevation=0,
            range_of_motion=1,
            time_held=0,
            work=0,
            daily_activities=0,
            driving=0,
            reading=0,
            television=0,
            outside_activities=5,
            pain_usual=3,
            pain_best=1,
            pain_worst=6,
            pain_duration=2,
            pain_disability=1,
        ),
        # severity: 4+0+3+0+1 = 8, + 2 x 5 = 10, + 2+0+1+0 = 3: 21
        # disability: 5
        # pain: (6 + 1 + 2 x 3) / 4 = 13/4 = 3.25, + 2 + 1 = 6.25
        32.25,
        {"severity": 21, "disability": 5, "pain": 6.25},
    ),
    "tsui mixed": (
        "tsui",
        dict(
            rotation=2,
            tilt=1,
            antero_retrocollis=0,
            posture_duration=2,
            shoulder_elevation=1,
            tremor_severity=1,
            tremor_duration=2,
        ),
        # posture (2+1+0) x 2 = 6; shoulder 1; tremor 1 x 2 = 2
        9,
        {"posture": 6, "shoulder": 1, "tremor": 2},
    ),
    "tsui intermittent, no tremor": (
        "tsui",
        dict(
            rotation=3,
            tilt=3,
            antero_retrocollis=3,
            posture_duration=1,
            shoulder_elevation=3,
            tremor_severity=0,
            tremor_duration=0,
        ),
        # posture 9 x 1 = 9; shoulder 3; tremor 0
        12,
        {"posture": 9, "shoulder": 3, "tremor": 0},
    ),
    "bfmdrs mixed": (
        "bfmdrs",
        fill(
            "bfmdrs",
            0,
            eyes_provoking=2,
            eyes_severity=3,
            mouth_provoking=1,
            mouth_severity=1,
            neck_provoking=3,
            neck_severity=3,
            right_arm_provoking=2,
            right_arm_severity=2,
            trunk_provoking=1,
            trunk_severity=2,
            left_leg_provoking=4,
            left_leg_severity=1,
            speech=1,
            handwriting=2,
            eating_swallowing=1,
            dressing=1,
            walking=3,
        ),
        # eyes 2x3x0.5 = 3; mouth 1x1x0.5 = 0.5; neck 3x3x0.5 = 4.5; right arm 2x2 = 4;
        # trunk 1x2 = 2; left leg 4x1 = 4: 18. Disability 1+2+0+1+0+1+3 = 8 (not in the total).
        18,
        {"movement": 18, "disability": 8},
    ),
    "gdrs mixed": (
        "gdrs",
        fill("gdrs", 0, neck=6, eyes_upper_face=2, right_distal_arm=3),
        11,
        {"regions": 11},
    ),
    "udrs mixed": (
        "udrs",
        fill(
            "udrs",
            0,
            neck_severity=3,
            neck_duration=2.5,
            eyes_upper_face_severity=1,
            eyes_upper_face_duration=0.5,
        ),
        # severity 3 + 1 = 4; duration 2.5 + 0.5 = 3
        7,
        {"severity": 4, "duration": 3},
    ),
    "jrs mixed": ("jrs", dict(spasm_severity=3, spasm_frequency=2), 5, {"severity": 3, "frequency": 2}),
    "bsdi mixed with not applicable": (
        "bsdi",
        dict(driving="na", reading=2, television=3, shopping="na", walking=1, everyday_activities=0),
        # not applicable items add nothing: 2+3+1+0
        6,
        {"activities": 6},
    ),
    "vhi30 mixed": (
        "vhi30",
        fill(
            "vhi30",
            0,
            hard_to_hear=1,
            noisy_room=1,
            calling_at_home=1,
            telephone=1,
            avoid_groups=1,
            talk_less=1,
            asked_to_repeat=1,
            social_life=1,
            left_out=1,
            income=1,
            whats_wrong=4,
            strain=3,
            upsets=2,
            ashamed=1,
        ),
        # functional 10 x 1 = 10; physical 4 + 3 = 7; emotional 2 + 1 = 3
        20,
        {"functional": 10, "physical": 7, "emotional": 3},
    ),
    "vhi10 mixed": (
        "vhi10",
        fill("vhi10", 0, hard_to_hear=3, noisy_room=3, strain=2, clarity=2, upsets=1, handicapped=1),
        12,
        {"voice": 12},
    ),
    "wcrs mixed": (
        "wcrs",
        fill(
            "wcrs",
            0,
            elbow_lift=1,
            wrist_flexion=2,
            thumb=1,
            index_finger=2,
            grip=1,
            latency=2,
            tremor=1,
            writing_speed=2,
        ),
        # posture 1+2+1+2+1 = 7; movement 2+1 = 3; speed 2
        12,
        {"posture": 7, "movement": 3, "speed": 2},
    ),
    "adds activities limited": (
        "adds",
        dict(
            awareness=2,
            writing=3,
            instrument=0,
            buttoning=1,
            utensils=0,
            hygiene=0,
            grasping=2,
            housework_or_job=1,
        ),
        # activities 3+0+1+0+0+2+1 = 7: 90 - 90 x 7/21 = 60
        60,
        {"overall": 2, "activities": 7},
    ),
    "adds aware, not limited": ("adds", fill("adds", 0, awareness=1), 95, {"overall": 1, "activities": 0}),
    "adds socially limited only": ("adds", fill("adds", 0, awareness=2), 90, {"overall": 2, "activities": 0}),
    "adds one activity mildly limited": (
        "adds",
        fill("adds", 0, awareness=2, writing=1),
        # 90 - 90 x 1/21 = 90 - 30/7 = 600/7
        600 / 7,
        {"overall": 2, "activities": 1},
    ),
    "cdip58 mixed": (
        "cdip58",
        by_section("cdip58", 1, head_neck=3, pain_discomfort=5, walking=2, annoyance=3, psychosocial=2)
        | {"sleep_falling": 4, "sleep_staying": 4},
        # head and neck (6 x 3 - 6) / 24 = 50; pain (25 - 5) / 20 = 100; upper limb 0;
        # walking (20 - 10) / 40 = 25; sleep (4+4+1+1 - 4) / 16 = 37.5; annoyance (24 - 8) / 32 = 50;
        # mood 0; psychosocial (20 - 10) / 40 = 25. Mean 287.5 / 8 = 35.9375
        35.9375,
        {
            "head_neck": 50,
            "pain_discomfort": 100,
            "upper_limb": 0,
            "walking": 25,
            "sleep": 37.5,
            "annoyance": 50,
            "mood": 0,
            "psychosocial": 25,
        },
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_mixed_case(case):
    scale_id, answers, total, sections = CASES[case]
    result = scales.score(scale_id, answers)
    assert result.total == pytest.approx(total, abs=1e-12)
    assert result.sections == pytest.approx(sections, abs=1e-12)
    assert result.complete is True
    assert result.missing == ()


@pytest.mark.parametrize(
    ("scale_id", "sections"),
    [
        ("twstrs", {"severity": 35, "disability": 30, "pain": 20}),
        ("tsui", {"posture": 18, "shoulder": 3, "tremor": 4}),
        ("bfmdrs", {"movement": 120, "disability": 30}),
        ("udrs", {"severity": 56, "duration": 56}),
        ("vhi30", {"functional": 40, "physical": 40, "emotional": 40}),
        ("wcrs", {"posture": 20, "movement": 6, "speed": 4}),
        (
            "cdip58",
            dict.fromkeys(
                [
                    "head_neck",
                    "pain_discomfort",
                    "upper_limb",
                    "walking",
                    "sleep",
                    "annoyance",
                    "mood",
                    "psychosocial",
                ],
                100,
            ),
        ),
    ],
)
def test_section_maxima(scale_id, sections):
    assert scales.score(scale_id, fill(scale_id, "highest")).sections == sections


def test_bfmdrs_region_scores_carry_their_weights():
    result = scales.score("bfmdrs", fill("bfmdrs", "highest"))
    # 4 x 4 x 0.5 = 8 for eyes, mouth and neck; 4 x 4 = 16 elsewhere: 3 x 8 + 6 x 16 = 120
    assert result.derived == {
        "eyes": 8,
        "mouth": 8,
        "speech_swallowing": 16,
        "neck": 8,
        "right_arm": 16,
        "left_arm": 16,
        "trunk": 16,
        "right_leg": 16,
        "left_leg": 16,
    }


def test_twstrs_derived_scores():
    result = scales.score("twstrs", CASES["twstrs fractional pain"][1])
    assert result.derived == {"maximal_excursion": 8, "pain_severity": 3.25}


def test_twstrs_stores_its_version():
    result = scales.score("twstrs", fill("twstrs", "lowest"))
    assert result.version == "original (Consky and Lang 1994)"
    assert result.to_dict()["version"] == result.version
    assert result.revision == 1


@pytest.mark.parametrize(
    ("total", "words"),
    [(11, "11 or less, within the usual range"), (12, "above 11, more than the usual range")],
)
def test_vhi10_interpretation_at_the_cut_off(total, words):
    answers = fill("vhi10", 0, hard_to_hear=4, noisy_room=4, strain=3, clarity=total - 11)
    result = scales.score("vhi10", answers)
    assert result.total == total
    assert result.interpretation == words


def test_bsdi_all_but_one_not_applicable():
    answers = dict(
        driving="na", reading="na", television="na", shopping="na", walking=4, everyday_activities="na"
    )
    result = scales.score("bsdi", answers)
    assert result.total == 4
    assert result.not_applicable == ("driving", "reading", "television", "shopping", "everyday_activities")
    assert result.items["driving"] == "na"


def test_answers_are_normalised_in_the_result():
    result = scales.score("udrs", fill("udrs", 0.0, neck_duration=2.5, neck_severity=3.0))
    assert result.items["neck_severity"] == 3
    assert isinstance(result.items["neck_severity"], int)
    assert result.items["neck_duration"] == 2.5
