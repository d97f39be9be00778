"""Models of the courses app, re-exported so ``courses.models.X`` keeps working."""

from .pages import (
    AgencyCourseFolderPage,
    CompletionRule,
    CourseIndexPage,
    CoursePage,
    CourseSkillTarget,
    HomePage,
    LearningPathPage,
    LearningPathStep,
    LessonPage,
    RoadmapPhase,
    RoleLevel,
    SkillLevel,
    SuccessStoryIndexPage,
    SuccessStoryPage,
)
from .snippets import LegalProvision, SkillArea, SkillKind, ToolTopic

__all__ = [
    "AgencyCourseFolderPage",
    "CompletionRule",
    "CourseIndexPage",
    "CoursePage",
    "CourseSkillTarget",
    "HomePage",
    "LearningPathPage",
    "LearningPathStep",
    "LegalProvision",
    "LessonPage",
    "RoadmapPhase",
    "RoleLevel",
    "SkillArea",
    "SkillKind",
    "SkillLevel",
    "SuccessStoryIndexPage",
    "SuccessStoryPage",
    "ToolTopic",
]
