{{%AUTOESCAPE context="HTML"}}{{! method.html.tpl - how the numbers were computed, and the data files
    beside this report (relative links, so the directory can move). }}
<section class="method">
<h2>How the numbers were computed</h2>
<p>{{METHOD}}</p>
<h2>Files</h2>
<ul class="files">
<li><a href="raw_power.csv">raw_power.csv</a>: every raw sample of the job</li>
<li><a href="energy.csv">energy.csv</a>: energy per node and component</li>
<li><a href="summary.json">summary.json</a>: everything in this report, for scripts</li>
</ul>
</section>
