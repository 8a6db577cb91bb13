"""Helpdesk: organizations, agents and customers, tickets, comments, SLAs."""
