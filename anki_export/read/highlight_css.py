"""Pygments colours for code on cards, light and night: generated, do not edit.

Made by `highlight.code_css()`; tests/test_highlight.py checks that it is current and rewrites it
with `pytest --update-golden`. Kept as a constant so that building a deck never imports Pygments.
"""

CODE_CSS = """\
.ae-code .c { color: #3D7B7B; font-style: italic }
.ae-code .k { color: #008000; font-weight: bold }
.ae-code .o { color: #666 }
.ae-code .ch { color: #3D7B7B; font-style: italic }
.ae-code .cm { color: #3D7B7B; font-style: italic }
.ae-code .cp { color: #9C6500 }
.ae-code .cpf { color: #3D7B7B; font-style: italic }
.ae-code .c1 { color: #3D7B7B; font-style: italic }
.ae-code .cs { color: #3D7B7B; font-style: italic }
.ae-code .gd { color: #A00000 }
.ae-code .ge { font-style: italic }
.ae-code .ges { font-weight: bold; font-style: italic }
.ae-code .gr { color: #E40000 }
.ae-code .gh { color: #000080; font-weight: bold }
.ae-code .gi { color: #008400 }
.ae-code .go { color: #717171 }
.ae-code .gp { color: #000080; font-weight: bold }
.ae-code .gs { font-weight: bold }
.ae-code .gu { color: #800080; font-weight: bold }
.ae-code .gt { color: #04D }
.ae-code .kc { color: #008000; font-weight: bold }
.ae-code .kd { color: #008000; font-weight: bold }
.ae-code .kn { color: #008000; font-weight: bold }
.ae-code .kp { color: #008000 }
.ae-code .kr { color: #008000; font-weight: bold }
.ae-code .kt { color: #B00040 }
.ae-code .m { color: #666 }
.ae-code .s { color: #BA2121 }
.ae-code .na { color: #687822 }
.ae-code .nb { color: #008000 }
.ae-code .nc { color: #00F; font-weight: bold }
.ae-code .no { color: #800 }
.ae-code .nd { color: #A2F }
.ae-code .ni { color: #717171; font-weight: bold }
.ae-code .ne { color: #CB3F38; font-weight: bold }
.ae-code .nf { color: #00F }
.ae-code .nl { color: #767600 }
.ae-code .nn { color: #00F; font-weight: bold }
.ae-code .nt { color: #008000; font-weight: bold }
.ae-code .nv { color: #19177C }
.ae-code .ow { color: #A2F; font-weight: bold }
.ae-code .w { color: #BBB }
.ae-code .mb { color: #666 }
.ae-code .mf { color: #666 }
.ae-code .mh { color: #666 }
.ae-code .mi { color: #666 }
.ae-code .mo { color: #666 }
.ae-code .sa { color: #BA2121 }
.ae-code .sb { color: #BA2121 }
.ae-code .sc { color: #BA2121 }
.ae-code .dl { color: #BA2121 }
.ae-code .sd { color: #BA2121; font-style: italic }
.ae-code .s2 { color: #BA2121 }
.ae-code .se { color: #AA5D1F; font-weight: bold }
.ae-code .sh { color: #BA2121 }
.ae-code .si { color: #A45A77; font-weight: bold }
.ae-code .sx { color: #008000 }
.ae-code .sr { color: #A45A77 }
.ae-code .s1 { color: #BA2121 }
.ae-code .ss { color: #19177C }
.ae-code .bp { color: #008000 }
.ae-code .fm { color: #00F }
.ae-code .vc { color: #19177C }
.ae-code .vg { color: #19177C }
.ae-code .vi { color: #19177C }
.ae-code .vm { color: #19177C }
.ae-code .il { color: #666 }
.nightMode .ae-code .c,
.night_mode .ae-code .c { color: #8B949E; font-style: italic }
.nightMode .ae-code .err,
.night_mode .ae-code .err { color: #F85149 }
.nightMode .ae-code .esc,
.night_mode .ae-code .esc { color: #E6EDF3 }
.nightMode .ae-code .g,
.night_mode .ae-code .g { color: #E6EDF3 }
.nightMode .ae-code .k,
.night_mode .ae-code .k { color: #FF7B72 }
.nightMode .ae-code .l,
.night_mode .ae-code .l { color: #A5D6FF }
.nightMode .ae-code .n,
.night_mode .ae-code .n { color: #E6EDF3 }
.nightMode .ae-code .o,
.night_mode .ae-code .o { color: #FF7B72; font-weight: bold }
.nightMode .ae-code .x,
.night_mode .ae-code .x { color: #E6EDF3 }
.nightMode .ae-code .p,
.night_mode .ae-code .p { color: #E6EDF3 }
.nightMode .ae-code .ch,
.night_mode .ae-code .ch { color: #8B949E; font-style: italic }
.nightMode .ae-code .cm,
.night_mode .ae-code .cm { color: #8B949E; font-style: italic }
.nightMode .ae-code .cp,
.night_mode .ae-code .cp { color: #8B949E; font-weight: bold; font-style: italic }
.nightMode .ae-code .cpf,
.night_mode .ae-code .cpf { color: #8B949E; font-style: italic }
.nightMode .ae-code .c1,
.night_mode .ae-code .c1 { color: #8B949E; font-style: italic }
.nightMode .ae-code .cs,
.night_mode .ae-code .cs { color: #8B949E; font-weight: bold; font-style: italic }
.nightMode .ae-code .gd,
.night_mode .ae-code .gd { color: #FFA198; background-color: #490202 }
.nightMode .ae-code .ge,
.night_mode .ae-code .ge { color: #E6EDF3; font-style: italic }
.nightMode .ae-code .ges,
.night_mode .ae-code .ges { color: #E6EDF3; font-weight: bold; font-style: italic }
.nightMode .ae-code .gr,
.night_mode .ae-code .gr { color: #FFA198 }
.nightMode .ae-code .gh,
.night_mode .ae-code .gh { color: #79C0FF; font-weight: bold }
.nightMode .ae-code .gi,
.night_mode .ae-code .gi { color: #56D364; background-color: #0F5323 }
.nightMode .ae-code .go,
.night_mode .ae-code .go { color: #8B949E }
.nightMode .ae-code .gp,
.night_mode .ae-code .gp { color: #8B949E }
.nightMode .ae-code .gs,
.night_mode .ae-code .gs { color: #E6EDF3; font-weight: bold }
.nightMode .ae-code .gu,
.night_mode .ae-code .gu { color: #79C0FF }
.nightMode .ae-code .gt,
.night_mode .ae-code .gt { color: #FF7B72 }
.nightMode .ae-code .g-Underline,
.night_mode .ae-code .g-Underline { color: #E6EDF3; text-decoration: underline }
.nightMode .ae-code .kc,
.night_mode .ae-code .kc { color: #79C0FF }
.nightMode .ae-code .kd,
.night_mode .ae-code .kd { color: #FF7B72 }
.nightMode .ae-code .kn,
.night_mode .ae-code .kn { color: #FF7B72 }
.nightMode .ae-code .kp,
.night_mode .ae-code .kp { color: #79C0FF }
.nightMode .ae-code .kr,
.night_mode .ae-code .kr { color: #FF7B72 }
.nightMode .ae-code .kt,
.night_mode .ae-code .kt { color: #FF7B72 }
.nightMode .ae-code .ld,
.night_mode .ae-code .ld { color: #79C0FF }
.nightMode .ae-code .m,
.night_mode .ae-code .m { color: #A5D6FF }
.nightMode .ae-code .s,
.night_mode .ae-code .s { color: #A5D6FF }
.nightMode .ae-code .na,
.night_mode .ae-code .na { color: #E6EDF3 }
.nightMode .ae-code .nb,
.night_mode .ae-code .nb { color: #E6EDF3 }
.nightMode .ae-code .nc,
.night_mode .ae-code .nc { color: #F0883E; font-weight: bold }
.nightMode .ae-code .no,
.night_mode .ae-code .no { color: #79C0FF; font-weight: bold }
.nightMode .ae-code .nd,
.night_mode .ae-code .nd { color: #D2A8FF; font-weight: bold }
.nightMode .ae-code .ni,
.night_mode .ae-code .ni { color: #FFA657 }
.nightMode .ae-code .ne,
.night_mode .ae-code .ne { color: #F0883E; font-weight: bold }
.nightMode .ae-code .nf,
.night_mode .ae-code .nf { color: #D2A8FF; font-weight: bold }
.nightMode .ae-code .nl,
.night_mode .ae-code .nl { color: #79C0FF; font-weight: bold }
.nightMode .ae-code .nn,
.night_mode .ae-code .nn { color: #FF7B72 }
.nightMode .ae-code .nx,
.night_mode .ae-code .nx { color: #E6EDF3 }
.nightMode .ae-code .py,
.night_mode .ae-code .py { color: #79C0FF }
.nightMode .ae-code .nt,
.night_mode .ae-code .nt { color: #7EE787 }
.nightMode .ae-code .nv,
.night_mode .ae-code .nv { color: #79C0FF }
.nightMode .ae-code .ow,
.night_mode .ae-code .ow { color: #FF7B72; font-weight: bold }
.nightMode .ae-code .pm,
.night_mode .ae-code .pm { color: #E6EDF3 }
.nightMode .ae-code .w,
.night_mode .ae-code .w { color: #6E7681 }
.nightMode .ae-code .mb,
.night_mode .ae-code .mb { color: #A5D6FF }
.nightMode .ae-code .mf,
.night_mode .ae-code .mf { color: #A5D6FF }
.nightMode .ae-code .mh,
.night_mode .ae-code .mh { color: #A5D6FF }
.nightMode .ae-code .mi,
.night_mode .ae-code .mi { color: #A5D6FF }
.nightMode .ae-code .mo,
.night_mode .ae-code .mo { color: #A5D6FF }
.nightMode .ae-code .sa,
.night_mode .ae-code .sa { color: #79C0FF }
.nightMode .ae-code .sb,
.night_mode .ae-code .sb { color: #A5D6FF }
.nightMode .ae-code .sc,
.night_mode .ae-code .sc { color: #A5D6FF }
.nightMode .ae-code .dl,
.night_mode .ae-code .dl { color: #79C0FF }
.nightMode .ae-code .sd,
.night_mode .ae-code .sd { color: #A5D6FF }
.nightMode .ae-code .s2,
.night_mode .ae-code .s2 { color: #A5D6FF }
.nightMode .ae-code .se,
.night_mode .ae-code .se { color: #79C0FF }
.nightMode .ae-code .sh,
.night_mode .ae-code .sh { color: #79C0FF }
.nightMode .ae-code .si,
.night_mode .ae-code .si { color: #A5D6FF }
.nightMode .ae-code .sx,
.night_mode .ae-code .sx { color: #A5D6FF }
.nightMode .ae-code .sr,
.night_mode .ae-code .sr { color: #79C0FF }
.nightMode .ae-code .s1,
.night_mode .ae-code .s1 { color: #A5D6FF }
.nightMode .ae-code .ss,
.night_mode .ae-code .ss { color: #A5D6FF }
.nightMode .ae-code .bp,
.night_mode .ae-code .bp { color: #E6EDF3 }
.nightMode .ae-code .fm,
.night_mode .ae-code .fm { color: #D2A8FF; font-weight: bold }
.nightMode .ae-code .vc,
.night_mode .ae-code .vc { color: #79C0FF }
.nightMode .ae-code .vg,
.night_mode .ae-code .vg { color: #79C0FF }
.nightMode .ae-code .vi,
.night_mode .ae-code .vi { color: #79C0FF }
.nightMode .ae-code .vm,
.night_mode .ae-code .vm { color: #79C0FF }
.nightMode .ae-code .il,
.night_mode .ae-code .il { color: #A5D6FF }
"""
