"""group stage: gather documents into stories, and find near-duplicates."""

from .boilerplate import mark_boilerplate, repeated_sentences
from .duplicates import DuplicateIndex, near_duplicates
from .stories import StoryIndex, group_stories

__all__ = ["DuplicateIndex", "StoryIndex", "group_stories", "mark_boilerplate", "near_duplicates", "repeated_sentences"]
