"""Actions that apps add under the app cards of a results list, through a Wagtail hook.

``APP_CARD_ACTIONS_HOOK``: ``fn(request) -> {"template": …, "context": {…}} | None``. A page
that lists apps as cards (the search page) puts ``card_actions(request)`` in its context;
``includes/app_grid.html`` includes each action's template under every card, with ``app`` and
the action's ``context`` as ``action``. An app that has nothing to offer this visitor returns
None (the selections: "Ajouter à une sélection", for mediators only).
"""

from wagtail import hooks

APP_CARD_ACTIONS_HOOK = "emploistore_app_card_actions"


def card_actions(request) -> list[dict]:
    actions = (action(request) for action in hooks.get_hooks(APP_CARD_ACTIONS_HOOK))
    return [action for action in actions if action]
