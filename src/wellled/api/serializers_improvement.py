"""What the API shows of quality improvement projects and their PDSA cycles, and what it accepts: shapes only;
every rule stays in improvement.services."""

from __future__ import annotations

from rest_framework import serializers

from wellled.core.selectors import organisation_people
from wellled.improvement.choices import PDSADecision, ProjectStatus
from wellled.improvement.models import PDSACycle, ProjectMeasure, QIProject
from wellled.improvement.selectors import change_ideas
from wellled.measures.selectors import measures_for_user

from .fields import Day, InScope, text_of

# A team larger than this is a typing slip, not a project team.
TEAM_MAX = 100


class WatchedMeasureSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="measure.name", read_only=True)

    class Meta:
        model = ProjectMeasure
        fields = ["measure", "name", "role"]


class QIProjectSerializer(serializers.ModelSerializer):
    measures = WatchedMeasureSerializer(
        source="project_measures",
        many=True,
        read_only=True,
        help_text="The measures it watches (GET /api/measures/{id}/spc/ for their charts).",
    )

    class Meta:
        model = QIProject
        fields = [
            "id",
            "title",
            "aim",
            "status",
            "lead",
            "sponsor",
            "team",
            "started_on",
            "aim_measure",
            "aim_baseline",
            "aim_goal",
            "aim_by",
            "measures",
            "actions",
            "findings",
            "version",
            "created_at",
        ]


def _people(**kwargs):
    return InScope(organisation_people, many=True, required=False, **kwargs)


class QIProjectChangeSerializer(serializers.Serializer):
    title = text_of(QIProject, "title", required=False)
    aim = text_of(QIProject, "aim", required=False)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    lead = InScope(organisation_people, required=False, allow_null=True)
    sponsor = InScope(organisation_people, required=False, allow_null=True)
    team = _people(help_text="Ids of people of your organisation; the whole team, replacing the one it has.")
    started_on = Day(required=False)
    aim_measure = InScope(
        measures_for_user,
        required=False,
        allow_null=True,
        help_text="The measure the aim is read from: one of your organisation's.",
    )
    aim_baseline = serializers.FloatField(required=False, allow_null=True)
    aim_goal = serializers.FloatField(required=False, allow_null=True)
    aim_by = Day(required=False, allow_null=True, help_text="The date the goal is to be reached by.")

    def validate_team(self, team):
        if len(team) > TEAM_MAX:
            raise serializers.ValidationError(f"A team of at most {TEAM_MAX}.")
        return team


class QIProjectCreateSerializer(QIProjectChangeSerializer):
    title = text_of(QIProject, "title")
    aim = text_of(QIProject, "aim")
    status = serializers.ChoiceField(choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    started_on = Day()
    lead = InScope(organisation_people, required=False, allow_null=True, default=None)
    sponsor = InScope(organisation_people, required=False, allow_null=True, default=None)
    team = _people(default=list, help_text="Ids of people of your organisation.")


class PDSACycleSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    change_idea_text = serializers.CharField(
        source="change_idea.text", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = PDSACycle
        fields = [
            "id",
            "project",
            "project_title",
            "change_idea",
            "change_idea_text",
            "title",
            "plan",
            "prediction",
            "do",
            "study",
            "act",
            "act_notes",
            "started_on",
            "ended_on",
            "created_by",
            "created_at",
            "version",
        ]


class ChangeIdeaOfProject(InScope):
    """A change idea of the project named in the URL (the view puts it in the serializer's context)."""

    def get_queryset(self):
        return change_ideas(project=self.context["project"])


class PDSACycleCreateSerializer(serializers.Serializer):
    title = text_of(PDSACycle, "title", help_text="A short name, printed on the project's charts.")
    plan = text_of(PDSACycle, "plan", help_text="What will be tried, where, by whom, when.")
    prediction = text_of(PDSACycle, "prediction", help_text="What you expect to happen, and why.")
    started_on = Day()
    change_idea = ChangeIdeaOfProject(
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of one of the project's change ideas.",
    )


class PDSAProgressSerializer(serializers.Serializer):
    plan = text_of(PDSACycle, "plan", required=False)
    prediction = text_of(PDSACycle, "prediction", required=False)
    do = text_of(
        PDSACycle, "do", required=False, allow_blank=True, help_text="What happened when it was tried."
    )
    study = text_of(
        PDSACycle,
        "study",
        required=False,
        allow_blank=True,
        help_text="What the data show against the prediction.",
    )
    act = serializers.ChoiceField(choices=PDSADecision.choices, required=False, allow_blank=True)
    act_notes = text_of(PDSACycle, "act_notes", required=False, allow_blank=True)
    ended_on = Day(required=False, allow_null=True)
