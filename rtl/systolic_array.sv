// SPDX-License-Identifier: Apache-2.0
// ROWS x COLS systolic array of Bit Fusion PEs (bf_pe.sv), the RTL of sim::SystolicArray's
// wiring (sim/systolic_array.hpp). Data and control enter at the left and top edges only and
// move one PE per cycle, so PE (i, j) sees at cycle c what entered row i at cycle c - j (left)
// or column j at cycle c - i (top); docs/rtl.md has the full protocol.
//   left edge, row i:  a (streamed operand), a_valid (the row holds work in this wavefront),
//                      a_last (os: the MAC completes an output), a_swap (ws/is: stationary
//                      operand swaps in at this wavefront); all travel right with a.
//   top edge, col j:   b (os: streamed operand; ws/is: stationary preload), b_valid (os: the
//                      column holds work; travels down with b), b_shift (ws/is: column j's
//                      preload chain shifts; the column's controller counts its ROWS steps and
//                      row i shifts from step i on, so each value stops in its row).
// stationary (0: os, 1: ws/is) and prec (0: 8-bit, 1: 4-bit, 2: 2-bit) are sampled while rst is
// high and held until the next reset.
//   MAC enable:        os: a_valid and b_valid meet; ws/is: a_valid (a PE beyond the fold's
//                      columns holds a zero stationary operand and adds nothing).
// Partial sums enter the top row as zero and leave the bottom row (psum_bottom: the ws/is
// outputs). Every PE's registers are visible on pe_a/pe_b/pe_psum/pe_hold (PE (i, j) at index
// i*COLS + j) for cycle-by-cycle co-simulation; os outputs are read from pe_hold.
module systolic_array #(
    parameter int ROWS     = 8,
    parameter int COLS     = 8,
    parameter int ACC_BITS = 32
) (
    input  logic                         clk,
    input  logic                         rst,
    input  logic                         stationary,
    input  logic [1:0]                   prec,
    input  logic [ROWS*32-1:0]           a_left,
    input  logic [ROWS-1:0]              a_valid,
    input  logic [ROWS-1:0]              a_last,
    input  logic [ROWS-1:0]              a_swap,
    input  logic [COLS*32-1:0]           b_top,
    input  logic [COLS-1:0]              b_valid,
    input  logic [COLS-1:0]              b_shift,
    output logic [ROWS*COLS*32-1:0]      pe_a,
    output logic [ROWS*COLS*32-1:0]      pe_b,
    output logic [ROWS*COLS*ACC_BITS-1:0] pe_psum,
    output logic [ROWS*COLS*ACC_BITS-1:0] pe_hold,
    output logic [COLS*ACC_BITS-1:0]     psum_bottom
);
  localparam int CNT_BITS = ROWS > 1 ? $clog2(ROWS) : 1;

  // Configuration registers: the mode and precision are taken while rst is high and held, so no
  // PE's datapath hangs off a top-level input (and the Verilated model re-evaluates only the
  // edge PEs when the inputs change).
  logic stationary_q;
  logic [1:0] prec_q;
  always_ff @(posedge clk) begin
    if (rst) begin
      stationary_q <= stationary;
      prec_q <= prec;
    end
  end

  // Control registers travelling with the data: right along rows, down along columns.
  logic v_q[ROWS][COLS], l_q[ROWS][COLS], s_q[ROWS][COLS], bv_q[ROWS][COLS];
  logic [CNT_BITS-1:0] cnt_q[COLS];

  for (genvar j = 0; j < COLS; j++) begin : g_col_ctrl
    always_ff @(posedge clk) begin
      if (rst || !b_shift[j] || cnt_q[j] == CNT_BITS'(ROWS - 1)) cnt_q[j] <= '0;
      else cnt_q[j] <= cnt_q[j] + 1'b1;
    end
  end

  for (genvar i = 0; i < ROWS; i++) begin : g_row
    for (genvar j = 0; j < COLS; j++) begin : g_col
      localparam int K = i * COLS + j;
      logic av, al, as, bv, sh;
      logic [31:0] a_in, b_in;
      logic signed [ACC_BITS-1:0] psum_in;
      if (j == 0) begin : g_left_edge
        assign av = a_valid[i];
        assign al = a_last[i];
        assign as = a_swap[i];
        assign a_in = a_left[i*32+:32];
      end else begin : g_left_pe
        assign av = v_q[i][j-1];
        assign al = l_q[i][j-1];
        assign as = s_q[i][j-1];
        assign a_in = pe_a[(K-1)*32+:32];
      end
      if (i == 0) begin : g_top_edge
        assign sh = b_shift[j];
        assign bv = b_valid[j];
        assign b_in = b_top[j*32+:32];
        assign psum_in = '0;
      end else begin : g_top_pe
        assign sh = b_shift[j] && cnt_q[j] >= CNT_BITS'(i);
        assign bv = bv_q[i-1][j];
        assign b_in = pe_b[(K-COLS)*32+:32];
        assign psum_in = pe_psum[(K-COLS)*ACC_BITS+:ACC_BITS];
      end
      always_ff @(posedge clk) begin
        if (rst) begin
          v_q[i][j] <= 1'b0;
          l_q[i][j] <= 1'b0;
          s_q[i][j] <= 1'b0;
          bv_q[i][j] <= 1'b0;
        end else begin
          v_q[i][j] <= av;
          l_q[i][j] <= al;
          s_q[i][j] <= as;
          bv_q[i][j] <= bv;
        end
      end
      bf_pe #(.ACC_BITS(ACC_BITS)) u_pe (
          .clk(clk),
          .rst(rst),
          .stationary(stationary_q),
          .prec(prec_q),
          .a_in(a_in),
          .b_in(b_in),
          .psum_in(psum_in),
          .mac(stationary_q ? av : av & bv),
          .last(al),
          .shift(sh),
          .swap(as),
          .a_out(pe_a[K*32+:32]),
          .b_out(pe_b[K*32+:32]),
          .psum_out(pe_psum[K*ACC_BITS+:ACC_BITS]),
          .hold_out(pe_hold[K*ACC_BITS+:ACC_BITS])
      );
    end
  end

  for (genvar j = 0; j < COLS; j++) begin : g_bottom
    assign psum_bottom[j*ACC_BITS+:ACC_BITS] = pe_psum[((ROWS-1)*COLS+j)*ACC_BITS+:ACC_BITS];
  end
endmodule
