"""Reference rows every installation needs: role groups, languages, target groups, skills.

The migration creates them; this puts them back where a test flushed the tables."""

from django.contrib.auth.models import Group
from django.utils import translation

from .languages import LANGUAGE_NAMES
from .models import Language
from .roles import ROLE_GROUPS


def ensure_reference_data() -> None:
    from network.models import Skill, SkillCode, TargetGroup, TargetGroupCode

    for code in TargetGroupCode.values:
        TargetGroup.objects.get_or_create(code=code)
    for code in SkillCode.values:
        Skill.objects.get_or_create(code=code)
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    existing = set(Language.objects.values_list("code", flat=True))
    with translation.override("en"):
        Language.objects.bulk_create(
            Language(code=code, name=str(name))
            for code, name in LANGUAGE_NAMES.items()
            if code not in existing
        )
