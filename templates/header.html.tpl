{{%AUTOESCAPE context="HTML"}}{{! header.html.tpl - who ran what, where and when. }}
<header class="top">
<p class="kicker">Energy report</p>
<h1>Job {{JOB_ID}}{{#HAS_NAME}} <span class="jobname">{{JOB_NAME}}</span>{{/HAS_NAME}}</h1>
<dl class="meta">
{{#FIELD}}<div{{#WIDE}} class="wide"{{/WIDE}}><dt>{{LABEL}}</dt><dd>{{VALUE}}{{#HAS_NOTE}} <span class="note">({{NOTE}})</span>{{/HAS_NOTE}}</dd></div>
{{/FIELD}}</dl>
</header>
