"""Demo people: one account per role, with passwords printed for the demo only."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from network.models import ProfileVisibility, User
from network.roles import Role
from network.services import user_add_role

DEMO_USERS = [
    # username, display name, role, country, organisation
    ("learner", "Amina Learner", Role.LEARNER, "KE", "Kijabe Farmers' Group"),
    ("trainer", "Tomás Trainer", Role.TRAINER, "PE", "Andean Landscapes Institute"),
    ("moderator", "Mei Moderator", Role.MODERATOR, "ID", "Borneo Watershed Forum"),
    ("editor", "Eduardo Editor", Role.EDITOR, "BR", "Landscape Commons"),
]
DEMO_PASSWORD_SUFFIX = "-demo-2026"  # noqa: S105 -- demo only: printed below, refused in production


def _ensure_user(username: str, **fields) -> tuple[User, str]:
    email = f"{username}@example.org"
    password = f"{username}{DEMO_PASSWORD_SUFFIX}"
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": email, **fields}
    )
    if created:
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, password


def seed(out) -> None:
    rows = []
    for username, name, role, country, organisation in DEMO_USERS:
        user, password = _ensure_user(
            username,
            display_name=name,
            country=country,
            organisation_name=organisation,
            languages=["en"],
            profile_visibility=ProfileVisibility.PUBLIC,
        )
        user_add_role(user=user, role=Role.LEARNER)
        user_add_role(user=user, role=role)
        if role is Role.EDITOR and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        rows.append((role.value, user.email, password))
    admin, password = _ensure_user("admin", display_name="Site Admin")
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    rows.append(("Superuser", admin.email, password))
    out.write("Demo accounts (log in with the email address; demo only):")
    for role, email, password in rows:
        out.write(f"  {role:<17} {email:<24} {password}")
