"""The dialogue's pages, one module per job: `proposals` (the list, a proposal's page and
the author's forms), `supports`, `comments`, `moderation` (reports and the moderators'
decisions), `answers` (the group's answer and its page of what waits), `follow`.
`access` finds the proposal or comment a request may reach. Views are thin: rules live
in permissions and services."""
