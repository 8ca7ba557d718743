"""Migration operations that keep a rolling deploy safe: one server may still run the old
code against the database while another migrates it."""

from django.db import migrations


class AddIndexConcurrently(migrations.AddIndex):
    """Adds an index without locking the table's writes on PostgreSQL (CREATE INDEX
    CONCURRENTLY), so that proposals can still be written while it is built; elsewhere
    (SQLite, one process) as a plain index. The migration must say `atomic = False`:
    PostgreSQL builds such an index only outside a transaction."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, concurrently=True)
