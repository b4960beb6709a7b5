"""Agents propose phrasings, supervisors propose banned rules, reviewers decide."""
