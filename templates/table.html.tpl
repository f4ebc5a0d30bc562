{{%AUTOESCAPE context="HTML"}}{{! table.html.tpl - one table of numbers (per node, per GPU, coverage,
    gaps): text columns left-aligned, numbers right-aligned, coverage cells
    shaded by how complete they are. }}
<div class="scroll">
<table class="numbers">
<thead><tr>{{#COL}}<th scope="col" class="{{ALIGN}}">{{LABEL}}</th>{{/COL}}</tr></thead>
<tbody>
{{#ROW}}<tr{{#TOTAL}} class="total"{{/TOTAL}}>{{#NAME}}<th scope="row">{{V}}</th>{{/NAME}}{{#CELL}}<td class="{{ALIGN}} {{TONE}}">{{V}}</td>{{/CELL}}</tr>
{{/ROW}}</tbody>
</table>
</div>
