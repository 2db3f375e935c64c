-- A new TCP connection per request: every request carries "Connection: close", the server
-- answers with Connection: close and closes, and wrk reconnects for the next request.
-- So the request count equals the number of connections the server accepted.
wrk.headers["Connection"] = "close"
