"""What the API and the dashboard share at the HTTP edge, below both of them.

`deps`: the FastAPI dependencies both take (the runtime, the policy check, the agreement in the
caller's scope, the open policy); `params`: the path parameters both take (an agreement's name,
a period label); `request_log`: one structlog line per request, which `attain.server` installs.
The API (`attain.api`) and the dashboard (`attain.web`) import this package and
`attain.services`, never each other; `attain.server` puts the two together in one app.
"""
