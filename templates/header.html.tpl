{{%AUTOESCAPE context="HTML"}}{{! header.html.tpl - who ran what, where and when, and first of all
    what the figures below leave out (nodes without data, thin coverage). }}
<header class="top">
<p class="kicker">Energy report</p>
<h1>Job {{JOB_ID}}{{#HAS_NAME}} <span class="jobname">{{JOB_NAME}}</span>{{/HAS_NAME}}</h1>
{{#HAS_BANNER}}<div class="banner" role="alert">{{#BANNER}}<p>{{TEXT}}</p>{{/BANNER}}</div>{{/HAS_BANNER}}
<dl class="meta">
{{#FIELD}}<div{{#WIDE}} class="wide"{{/WIDE}}><dt>{{LABEL}}</dt><dd>{{VALUE}}{{#HAS_NOTE}} <span class="note">({{NOTE}})</span>{{/HAS_NOTE}}</dd></div>
{{/FIELD}}</dl>
</header>
