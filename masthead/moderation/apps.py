from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "masthead.moderation"
    label = "moderation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail import hooks

        from masthead.core.hooks import (
            COMMENT_CHECK,
            EVERY_MINUTE,
            FIRST_TIME_CHECK,
            MODERATION_LINKS,
        )
        from masthead.discussion import signals
        from masthead.moderation import checks, receivers
        from masthead.moderation.actions import alert_links
        from masthead.moderation.akismet import forget_old_params
        from masthead.moderation.models import Ban, DomainRule, WordRule
        from masthead.moderation.rules import bump_rules_version

        for check in checks.ALL_CHECKS:
            hooks.register(COMMENT_CHECK, check)
        hooks.register(
            FIRST_TIME_CHECK, checks.check_first_time
        )  # trust replaces the built-in rule
        hooks.register(MODERATION_LINKS, alert_links)
        hooks.register(EVERY_MINUTE, forget_old_params)
        signals.comment_asking.connect(
            receivers.on_comment_asking, dispatch_uid="moderation.asking"
        )
        signals.comment_preparing.connect(
            receivers.on_comment_preparing, dispatch_uid="moderation.preparing"
        )
        signals.comment_approved.connect(
            receivers.on_comment_approved, dispatch_uid="moderation.approved"
        )
        signals.comment_status_changed.connect(
            receivers.on_status_changed, dispatch_uid="moderation.status"
        )
        signals.comment_posted.connect(
            receivers.on_comment_posted, dispatch_uid="moderation.posted"
        )
        signals.comment_edited.connect(
            receivers.on_comment_edited, dispatch_uid="moderation.edited"
        )
        signals.vote_changed.connect(receivers.on_vote_changed, dispatch_uid="moderation.vote")
        for model in (WordRule, DomainRule, Ban):
            post_save.connect(
                bump_rules_version,
                sender=model,
                dispatch_uid=f"moderation.rules.save.{model.__name__}",
            )
            post_delete.connect(
                bump_rules_version,
                sender=model,
                dispatch_uid=f"moderation.rules.delete.{model.__name__}",
            )
