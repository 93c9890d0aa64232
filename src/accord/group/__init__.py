"""group stage: gather documents into stories, and find near-duplicates."""

from .duplicates import DuplicateIndex, near_duplicates
from .stories import StoryIndex, group_stories

__all__ = ["DuplicateIndex", "StoryIndex", "group_stories", "near_duplicates"]
