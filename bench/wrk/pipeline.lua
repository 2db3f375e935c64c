-- HTTP/1.1 pipelining, wrk's documented pattern: `depth` requests concatenated once in init()
-- and sent in a single write; wrk counts each response. Usage: wrk ... -s pipeline.lua URL -- [depth] [path]
-- (defaults: 16 requests for "/").
init = function(args)
   local depth = tonumber(args[1]) or 16
   local path = args[2] or "/"
   local r = {}
   for i = 1, depth do
      r[i] = wrk.format(nil, path)
   end
   req = table.concat(r)
end

request = function()
   return req
end
