"""Django's database sessions, read with one statement written out once.

Every signed-in request reads its session first. Building that query with the ORM (a
filter on the key and the expiry, compiled anew each time) took longer than running it,
so the statement is plain SQL; what is stored, written and expired is Django's own."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        table = connections[router.db_for_read(model)].ops.quote_name(model._meta.db_table)
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} "  # noqa: S608 - the table's own name
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
