"""Topics: contributor topic files (rules.py), tagging papers with them (tagging.py),
and the checks a contributor sees (validate.py)."""

from .rules import Item, Topic, load_topic_texts, load_topics, parse_topic
from .tagging import Tagging, rules_digest, tag

__all__ = ["Item", "Topic", "Tagging", "load_topic_texts", "load_topics", "parse_topic", "rules_digest", "tag"]
