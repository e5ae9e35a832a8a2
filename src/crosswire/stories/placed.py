"""Apply the story index's decisions to one run: which stories the run's articles are
in, which stored members come along, which story ids merged away.

The index (`StoryIndex`, state kept in the store between runs) decides for each new
article; an article the store already holds in a story keeps that story (re-analyzing
the same inputs changes nothing, and a story that left the index's active window is
still found), unless the index moved it to another active story (`Move`): then it and
both stories are written again. A story a run touches is returned whole, with its stored members, so
claims and comparison see every outlet of it; a story the run does not touch is not
read, compared or written again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from crosswire.model import Article, Story
from crosswire.stories.cluster import make_story, sort_time
from crosswire.stories.features import published_days
from crosswire.stories.stream import StoryIndex

# story ids, article ids the run holds -> the stored articles of those stories
LoadMembers = Callable[[Sequence[str], Collection[str]], list[Article]]
# UTC epoch seconds from, to -> the stored stories with an article published between
StoriesBetween = Callable[[float, float], list[str]]


@dataclass(slots=True)
class Placed:
    stories: list[Story]
    # the run's articles plus the stored members of the stories it touched
    articles: list[Article]
    # story id -> the id of the story that holds its members now (merges of this run)
    replaced: dict[str, str]


def place_articles(
    index: StoryIndex,
    articles: Sequence[Article],
    stored_story_of: Mapping[str, str],
    load_members: LoadMembers | None = None,
    stories_between: StoriesBetween | None = None,
) -> Placed:
    """Put each of ARTICLES in a story and return the stories the run touched.

    `stored_story_of` maps the ids of articles the store already holds (the run's and
    the originals its copies point at) to their stored story; `load_members` reads
    stored members of given stories and `stories_between` finds stored stories by time
    (neither without a store).
    """
    fresh = [a for a in articles if a.id not in stored_story_of]
    run_ids = {a.id for a in articles}
    # a copy of a stored original the index no longer holds follows it to its story
    following = {
        a.id: stored_story_of[a.duplicate_of]
        for a in fresh
        if a.duplicate_of
        and a.duplicate_of not in run_ids
        and a.duplicate_of in stored_story_of
        and index.story_of(a.duplicate_of) is None
    }
    fresh = [a for a in fresh if a.id not in following]
    if load_members is not None and stories_between is not None:
        _reload_near(index, [a for a in fresh if index.late(a)], load_members, stories_between)
    replaced: dict[str, str] = {}
    # article id -> the story a later decision moved it to (the last move wins)
    moved: dict[str, str] = {}
    moved_from: set[str] = set()
    for decision, article in zip(index.assign_many(fresh), fresh, strict=True):
        article.story = decision.story
        for merge in decision.merges:
            replaced[merge.replaced] = merge.survivor
        for move in decision.moves:
            moved.update(dict.fromkeys(move.articles, move.target))
            moved_from.add(move.source)

    def final(story: str) -> str:
        seen = {story}
        while (story := replaced.get(story, story)) not in seen:
            seen.add(story)
        return story

    for article in articles:
        stored = stored_story_of.get(article.id, following.get(article.id))
        placed = moved.get(article.id, stored if stored is not None else article.story)
        article.story = final(placed or "")
    # a story a member left is rebuilt without it, as one that gained members is
    touched = {a.story for a in articles if a.story} | {final(s) for s in moved_from}
    touched |= {final(s) for s in moved.values()}
    pulled = (
        load_members(sorted(touched | set(replaced)), run_ids) if load_members is not None else []
    )
    for member in pulled:
        member.story = final(moved.get(member.id, member.story) or "")
    members: dict[str, list[Article]] = {}
    for article in [*articles, *pulled]:
        if article.story:
            members.setdefault(article.story, []).append(article)
    merged_from: dict[str, list[str]] = {}
    for old in replaced:
        merged_from.setdefault(final(old), []).append(old)
    stories = []
    for story_id, group in members.items():
        story = make_story(group, story_id=story_id)
        story.merged_from = sorted(merged_from.get(story_id, []))
        stories.append(story)
    stories.sort(key=lambda s: (sort_time(s.first_published), s.id))
    return Placed(stories, [*articles, *pulled], {old: final(old) for old in replaced})


def _reload_near(
    index: StoryIndex,
    late: Sequence[Article],
    load_members: LoadMembers,
    stories_between: StoriesBetween,
) -> None:
    """Make the stored stories near the time of each late article active again, so it
    can join the story it belongs to (a folder of last month's pages analyzed today)."""
    reach = index.window_days * 86400.0
    spans: list[list[float]] = []
    for moment in sorted(published_days(a.published) * 86400.0 for a in late):
        if spans and moment - reach <= spans[-1][1]:
            spans[-1][1] = moment + reach
        else:
            spans.append([moment - reach, moment + reach])
    wanted = sorted(
        {s for lo, hi in spans for s in stories_between(lo, hi) if not index.is_active(s)}
    )
    if not wanted:
        return
    by_story: dict[str, list[Article]] = {}
    for member in load_members(wanted, ()):
        by_story.setdefault(member.story or "", []).append(member)
    for story, members in sorted(by_story.items()):
        originals = [m for m in members if not m.duplicate_of]
        copies = [m.id for m in members if m.duplicate_of]
        index.reload(story, originals, copies)
