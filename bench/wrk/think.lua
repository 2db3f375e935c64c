-- Each connection waits 1 ms after every response before its next request: a lightly loaded server,
-- whose connections mostly wait for bytes (bench/ab scenario 1d).
function delay()
  return 1
end
