"""Join a run's stories to the stories already in the store.

A run clusters only the articles it read. When one of them already belongs to a
stored story (the same file analyzed again, yesterday's folder beside today's), the
stored decision stands: the run's story takes in every stored member of that story,
and run stories that touch the same stored story become one. The joined story is
named by its earliest member as every story is, so a story that gains an earlier
member changes its id; the ids it replaces are returned, for the store to resolve
them to the new one and for the report to say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crosswire.model import Article, Story
from crosswire.stories.cluster import make_story, sort_time
from crosswire.unionfind import UnionFind


@dataclass(slots=True)
class Joined:
    stories: list[Story]
    # the run's articles plus the stored members the joined stories took in
    articles: list[Article]
    # stored story id -> the id of the story that now holds its members
    replaced: dict[str, str]


def join_stored(
    stories: Sequence[Story],
    articles: Sequence[Article],
    stored_story_of: Mapping[str, str],
    stored_members: Sequence[Article],
) -> Joined:
    """Merge STORIES with the stored stories their articles already belong to.

    `stored_story_of` maps a run article id to its stored story; `stored_members` are
    all stored articles of those stories (the run's own articles among them are
    ignored: the run's reading of an article wins). Stories no stored story touches
    are returned as they are, so a first run into an empty store is unchanged.
    """
    run_ids = {a.id for a in articles}
    extra: dict[str, list[Article]] = {}
    for member in stored_members:
        if member.id not in run_ids and member.story is not None:
            extra.setdefault(member.story, []).append(member)

    # run stories that touch one stored story are one story
    uf = UnionFind(len(stories))
    owner: dict[str, int] = {}
    touched: dict[int, set[str]] = {}
    for i, story in enumerate(stories):
        for article_id in story.articles:
            stored = stored_story_of.get(article_id)
            if stored is None:
                continue
            touched.setdefault(i, set()).add(stored)
            uf.union(i, owner.setdefault(stored, i))

    groups: dict[int, list[int]] = {}
    for i in range(len(stories)):
        groups.setdefault(uf.find(i), []).append(i)

    by_id = {a.id: a for a in articles}
    joined: list[Story] = []
    added: list[Article] = []
    replaced: dict[str, str] = {}
    for indices in groups.values():
        olds = sorted({s for i in indices for s in touched.get(i, ())})
        pulled = [a for s in olds for a in extra.get(s, [])]
        if len(indices) == 1 and not pulled:
            story = stories[indices[0]]
            if olds in ([], [story.id]):
                joined.append(story)
                continue
        members = [by_id[a] for i in indices for a in stories[i].articles] + pulled
        story = make_story(members)
        story.merged_from = [s for s in olds if s != story.id]
        for article in members:
            article.story = story.id
        replaced.update({s: story.id for s in story.merged_from})
        joined.append(story)
        added.extend(pulled)
    joined.sort(key=lambda s: (sort_time(s.first_published), s.id))
    return Joined(joined, [*articles, *added], replaced)
