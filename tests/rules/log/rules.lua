-- log(...) writes into the verdict under check --debug, at most 100 lines.
log("at load time: ignored")
rule { name = "LOGS", group = "g", score = 0, description = "writes what it sees",
  check = function(item)
    log("words:", item:wordcount(), "title", item.title, nil, true)
    for i = 1, 200 do log("line", i) end
    return false
  end }
