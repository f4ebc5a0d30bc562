/*
 * main.c - entry point (being written: see run.c once it lands).
 */
#include <stdio.h>
int main(void) { fputs("powerreport: under construction\n", stderr); return 1; }
