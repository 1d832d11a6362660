"""Issue a plan: every task becomes a TaskAssigned event in the plan's stream (kept in repository.py,
which drafts, the cascade and reorganisations use too: a handler never calls another handler)."""
from __future__ import annotations

from services.plans.handlers.repository import PLANS, ancestors, issue_plan, issue_plans

__all__ = ["PLANS", "ancestors", "issue_plan", "issue_plans"]
