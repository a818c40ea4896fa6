-- jank-wasm-nrepl settings for Conjure (Neovim).
--
-- Put this file in ~/.config/nvim/plugin/ (or `dofile` it from init.lua) so it
-- runs before Conjure connects. Then start jank-wasm-nrepl in your project
-- directory and open a .clj/.cljc/.jank file there: Conjure finds .nrepl-port
-- and connects. `:JankConnect [port]` connects by hand (the port from the
-- nearest .nrepl-port, else 7889).

local g = vim.g

-- The server listens on 127.0.0.1 only; "localhost" may resolve to ::1 first.
g["conjure#client#clojure#nrepl#connection#default_host"] = "127.0.0.1"
g["conjure#client#clojure#nrepl#connection#port_files"] = { ".nrepl-port" }
-- Without a port file Conjure would start a Babashka nREPL server instead.
g["conjure#client#clojure#nrepl#connection#auto_repl#enabled"] = false
-- Pretty printing names a JVM function (conjure.internal/pprint); the server
-- prints values itself.
g["conjure#client#clojure#nrepl#eval#pretty_print"] = false
-- Namespaces are compiled when their ns form is evaluated, not loaded from a
-- classpath, so don't `require` the buffer's namespace on connect.
g["conjure#client#clojure#nrepl#eval#auto_require"] = false

if vim.filetype ~= nil and vim.filetype.add ~= nil then
  vim.filetype.add({ extension = { jank = "clojure" } })
end

-- The port in the nearest .nrepl-port at or above the current directory, or nil.
local function port_from_file()
  local path = vim.fn.findfile(".nrepl-port", ".;")
  if path == "" then
    return nil
  end
  local first = vim.fn.readfile(path, "", 1)[1] or ""
  return first:match("^%s*(%d+)%s*$")
end

vim.api.nvim_create_user_command("JankConnect", function(opts)
  local port = opts.args ~= "" and opts.args or port_from_file() or "7889"
  vim.cmd("ConjureConnect 127.0.0.1 " .. port)
end, { nargs = "?", desc = "Connect Conjure to jank-wasm-nrepl" })
