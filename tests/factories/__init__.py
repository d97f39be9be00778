"""The one way tests build data: factory_boy (wagtail-factories for pages) and a few
builders that go through the models the way the product does."""

from .pages import *  # noqa: F403
from .people import *  # noqa: F403
from .quizzes import *  # noqa: F403
