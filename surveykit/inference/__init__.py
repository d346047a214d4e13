"""Inference on published figures: one proportion, differences, ratios, multinomial
shares, leads within a poll, two-sample and exact tests, panels, Bayesian change.
"""
