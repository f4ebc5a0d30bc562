{{%AUTOESCAPE context="HTML"}}{{! quality.html.tpl - how complete the data is: coverage per node and
    metric, gaps, nodes without data, warnings. }}
<section class="quality">
<h2>Data quality</h2>
<p>{{SUMMARY}}</p>
{{#HAS_WARNINGS}}<h3>Warnings</h3>
<ul class="warnings">
{{#WARNING}}<li>{{TEXT}}</li>
{{/WARNING}}</ul>{{/HAS_WARNINGS}}
<h3>Coverage per node and metric</h3>
<div class="scroll">
<table class="numbers coverage">
<thead><tr><th scope="col">Node</th>{{#COL}}<th scope="col">{{LABEL}}</th>{{/COL}}</tr></thead>
<tbody>
{{#NODE}}<tr><th scope="row">{{HOST}}</th>{{#CELL}}<td class="{{CLASS}}" title="{{TITLE}}">{{V}}</td>{{/CELL}}</tr>
{{/NODE}}</tbody>
</table>
</div>
<p class="note">Share of the job window each metric has samples for (the worst device where a node has several); a dash means the node has no such series.</p>
{{#HAS_GAPS}}<h3>Gaps</h3>
<div class="scroll">
<table class="numbers gaps">
<thead><tr><th scope="col">Node</th><th scope="col" class="text">Metric</th><th scope="col" class="text">Device</th><th scope="col">Gaps</th><th scope="col">Time in gaps</th><th scope="col" class="text">First gap</th></tr></thead>
<tbody>
{{#GAP}}<tr><th scope="row">{{HOST}}</th><td class="text">{{METRIC}}</td><td class="text">{{DEVICE}}</td><td>{{COUNT}}</td><td>{{TOTAL}}</td><td class="text">{{FIRST}}</td></tr>
{{/GAP}}</tbody>
</table>
</div>
{{#MORE_GAPS}}<p class="note">{{GAPS_LEFT_OUT}} more series have gaps; their coverage is in the table above.</p>{{/MORE_GAPS}}{{/HAS_GAPS}}
</section>
