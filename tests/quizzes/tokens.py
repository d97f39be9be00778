"""Browser tests answer as a learner who studied would: the page shows only the
attempt's opaque tokens, so the right answers are looked up through them."""

from quizzes.models import AttemptQuestion, Choice


def drawn(question_token: str) -> AttemptQuestion:
    return AttemptQuestion.objects.select_related("question").get(token=question_token)


def _token_of(item: AttemptQuestion) -> dict[int, str]:
    return dict(zip(item.choice_order, item.choice_tokens, strict=True))


def correct_tokens(item: AttemptQuestion) -> set[str]:
    tokens = _token_of(item)
    right = Choice.objects.filter(question_id=item.question_id, is_correct=True)
    return {tokens[pk] for pk in right.values_list("pk", flat=True)}


def ordered_tokens(item: AttemptQuestion) -> list[str]:
    tokens = _token_of(item)
    order = Choice.objects.filter(question_id=item.question_id).order_by("sort_order")
    return [tokens[pk] for pk in order.values_list("pk", flat=True)]
