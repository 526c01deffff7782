# Plots a gradient-descent path (the CSV of examples/descent_quadratic: iteration,x,f) over f(x) = 3x^2 - 2x - 3.
#
# From the repository root, after building:
#   (cd build/examples && ./descent_quadratic)
#   gnuplot -e "csv='build/examples/descent_path.csv'; png='docs/descent_path.png'" scripts/plot_descent.gp
# Both variables are optional (defaults: descent_path.csv and descent_path.png in the current directory).
# Needs gnuplot 5.4 with the pngcairo terminal (Debian: gnuplot-nox).

if (!exists("csv")) csv = 'descent_path.csv'
if (!exists("png")) png = 'descent_path.png'

f(x) = 3*x**2 - 2*x - 3
xmin = 1.0/3

set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,11'
set output png
set datafile separator ','
set datafile columnheaders
set title "Gradient descent on f(x) = 3x^2 - 2x - 3 from x_0 = 8, learning rate 0.001"
set xlabel 'x'
set ylabel 'f(x)'
set xrange [-1:9]
set yrange [-20:190]
set grid
set key top left box opaque
set samples 400

stats csv using 2 name 'X' nooutput
last = X_records - 1

plot f(x) with lines lw 2 lc rgb '#4a4a4a' title 'f(x)', \
     csv every 10 using 2:3 with points pt 7 ps 0.6 lc rgb '#1f77b4' title 'x_k, every 10th iterate', \
     csv every 50 using 2:3 with points pt 6 ps 1.8 lw 2 lc rgb '#d62728' title 'every 50th iterate', \
     csv every 100::0::300 using 2:3:(sprintf('k=%d', $1)) with labels right offset -1.2,0.6 font ',10' notitle, \
     csv every ::last::last using 2:3:(sprintf('k=%d, x=%.4f', $1, $2)) with labels left offset 1,-1.4 font ',10' \
         notitle, \
     '+' using (xmin):(f(xmin)) every ::0::0 with points pt 9 ps 2 lc rgb '#2ca02c' title 'minimum x* = 1/3'
