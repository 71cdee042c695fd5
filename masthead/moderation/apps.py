from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "masthead.moderation"
    label = "moderation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from masthead.discussion import signals
        from masthead.discussion.hooks import register_check, register_first_time_check
        from masthead.moderation import checks, receivers
        from masthead.moderation.models import Ban, DomainRule, WordRule
        from masthead.moderation.rules import bump_rules_version

        for check in checks.ALL_CHECKS:
            if check is checks.check_first_time:  # trust earned replaces the built-in rule
                register_first_time_check(check)
            else:
                register_check(check)
        from masthead.moderation.actions import alert_links
        from masthead.notifications.hooks import register_moderation_links

        register_moderation_links(alert_links)
        from masthead.core.clock import every_minute
        from masthead.moderation.akismet import forget_old_params

        every_minute(forget_old_params)
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
