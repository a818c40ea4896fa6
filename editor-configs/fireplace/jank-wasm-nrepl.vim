" jank-wasm-nrepl settings for vim-fireplace.
"
" Put this file in ~/.vim/plugin/ (or `source` it from your vimrc). Start
" jank-wasm-nrepl in your project directory, open a .clj/.cljc/.jank file there
" and run :JankConnect (the port from the nearest .nrepl-port, else 7889; or
" give one: :JankConnect 7889). Note: see editor-configs/README.md for what
" fireplace needs from the server on connect.

if exists('g:loaded_jank_wasm_nrepl')
  finish
endif
let g:loaded_jank_wasm_nrepl = 1

augroup jank_wasm_nrepl
  autocmd!
  autocmd BufNewFile,BufRead *.jank setfiletype clojure
augroup END

" The port in the nearest .nrepl-port at or above the current directory.
function! JankWasmNreplPort() abort
  let file = findfile('.nrepl-port', '.;')
  if empty(file)
    return '7889'
  endif
  let port = matchstr(get(readfile(file, '', 1), 0, ''), '^\s*\zs\d\+')
  return empty(port) ? '7889' : port
endfunction

" Connects to 127.0.0.1 (the server listens on loopback only; `localhost` may
" mean ::1) and scopes the connection to the current directory.
command! -nargs=? JankConnect
      \ execute 'FireplaceConnect nrepl://127.0.0.1:'
      \ . (empty(<q-args>) ? JankWasmNreplPort() : <q-args>)
      \ . ' ' . fnameescape(getcwd())
