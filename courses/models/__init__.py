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
    SkillLevel,
    SuccessStoryIndexPage,
    SuccessStoryPage,
)

__all__ = [
    "AgencyCourseFolderPage",
    "CompletionRule",
    "CourseIndexPage",
    "CoursePage",
    "CourseSkillTarget",
    "HomePage",
    "LearningPathPage",
    "LearningPathStep",
    "LessonPage",
    "RoadmapPhase",
    "SkillLevel",
    "SuccessStoryIndexPage",
    "SuccessStoryPage",
]
