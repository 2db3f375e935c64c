-- POST /data with a small JSON body (the URL given to wrk should end in /data).
wrk.method = "POST"
wrk.body = '{"name":"widget","qty":3,"tags":["a","b"]}'
wrk.headers["Content-Type"] = "application/json"
