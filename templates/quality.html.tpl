{{%AUTOESCAPE context="HTML"}}{{! quality.html.tpl - how complete the data is: warnings and nodes
    without data, coverage per node and metric, gaps. }}
<section class="quality">
<h2>Data quality</h2>
<p>{{SUMMARY}}</p>
{{#HAS_WARNINGS}}<h3>Warnings</h3>
<ul class="warnings">
{{#WARNING}}<li>{{TEXT}}</li>
{{/WARNING}}</ul>{{/HAS_WARNINGS}}
<h3>Coverage per node and metric</h3>
{{>COVERAGE}}
{{#HAS_GAPS}}<h3>Gaps</h3>
{{>GAPS}}{{/HAS_GAPS}}
</section>
