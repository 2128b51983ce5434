"""The one check of the fuzz run: no response is a server error.

schemathesis's own `not_a_server_error` also counts every GraphQL field error
(UNAUTHENTICATED, BAD_USER_INPUT, ...) as one; this API reports those on
purpose. A server error here is an HTTP status of 500 or more, or an error
whose extensions.code is INTERNAL_SERVER_ERROR whatever the status.
"""

import schemathesis


@schemathesis.check
def no_server_error(ctx, response, case):
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:500]}")
    try:
        body = response.json()
    except ValueError:
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    for error in errors or []:
        code = (error.get("extensions") or {}).get("code")
        if code == "INTERNAL_SERVER_ERROR":
            raise AssertionError(f"INTERNAL_SERVER_ERROR: {error}")
    return None
