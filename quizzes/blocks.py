"""Stream blocks that the quizzes app offers to page bodies."""

from wagtail.snippets.blocks import SnippetChooserBlock


class QuizBlock(SnippetChooserBlock):
    """A quiz placed in a lesson body; rendered by the quizzes app's template."""

    def __init__(self, **kwargs):
        kwargs.setdefault("icon", "help")
        kwargs.setdefault("template", "quizzes/blocks/quiz_block.html")
        super().__init__("quizzes.Quiz", **kwargs)

    def deconstruct(self):
        path, _args, kwargs = super().deconstruct()
        kwargs.pop("icon", None)
        kwargs.pop("template", None)
        return "quizzes.blocks.QuizBlock", (), kwargs
