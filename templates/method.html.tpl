{{%AUTOESCAPE context="HTML"}}{{! method.html.tpl - how the numbers were computed, and the data files
    beside this report when the run wrote them (relative links, so the
    directory can move). }}
<section class="method">
<h2>How the numbers were computed</h2>
<p>{{METHOD}}</p>
{{#HAS_FILES}}<h2>Files</h2>
<ul class="files">
{{#HAS_CSV}}<li><a href="raw_power.csv">raw_power.csv</a>: every raw sample of the job</li>
<li><a href="energy.csv">energy.csv</a>: energy per node and component</li>{{/HAS_CSV}}
{{#HAS_JSON}}<li><a href="summary.json">summary.json</a>: everything in this report, for scripts</li>{{/HAS_JSON}}
</ul>{{/HAS_FILES}}
</section>
